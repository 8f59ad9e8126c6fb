// The client is generated at build time from openapi.json by swift-openapi-generator's build
// plugin (openapi-generator-config.yaml): `Client`, `Components`, `Operations`. This file only
// gives the target a source of its own.
