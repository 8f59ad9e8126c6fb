// The sample catalog and the scripted payment provider live in OCPizzaKitSamples, which has no
// `Testing` so that servers and demos can ship with them. Test code that imports
// OCPizzaKitTesting keeps seeing them, as it did when they were part of this module.
@_exported import OCPizzaKitSamples
