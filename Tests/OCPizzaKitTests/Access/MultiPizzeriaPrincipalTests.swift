import Foundation
import OCPizzaKit
import Testing

@Suite("A manager of several pizzerias")
struct MultiPizzeriaPrincipalTests {
    let lyon2: Pizzeria.ID = "lyon-2"
    let lyon7: Pizzeria.ID = "lyon-7"
    let paris: Pizzeria.ID = "paris-11"

    @Test("a manager of two pizzerias acts at both and not at a third")
    func actsAtEach() {
        let claire = Principal.staff("claire", .manager, at: [lyon2, lyon7])
        #expect(claire.pizzeria == lyon2)
        #expect(claire.pizzerias == [lyon2, lyon7])
        for action in AccessRequest.Action.allCases where action != .anonymiseCustomer && action != .changeConsent {
            #expect(AccessPolicy.standard.decide(claire, AccessRequest(action, pizzeria: lyon2)) == nil, "\(action) at lyon-2")
            #expect(AccessPolicy.standard.decide(claire, AccessRequest(action, pizzeria: lyon7)) == nil, "\(action) at lyon-7")
            #expect(AccessPolicy.standard.decide(claire, AccessRequest(action, pizzeria: paris)) != nil, "\(action) at paris-11")
        }
    }

    @Test("a role keeps its limits at each of its pizzerias")
    func roleLimits() {
        let counter = Principal(id: "lea", role: .counter, pizzeria: lyon2, additionalPizzerias: [lyon7])
        #expect(AccessPolicy.standard.decide(counter, AccessRequest(.viewBoard, pizzeria: lyon7)) == nil)
        #expect(AccessPolicy.standard.decide(counter, AccessRequest(.viewSales, pizzeria: lyon7)) != nil)
        #expect(AccessPolicy.standard.decide(counter, AccessRequest(.viewBoard, pizzeria: paris)) != nil)
    }

    @Test("isStaff(at:) is false for customers and for a pizzeria not listed")
    func isStaff() {
        #expect(Principal.staff("claire", .manager, at: [lyon2, lyon7]).isStaff(at: lyon7))
        #expect(!Principal.staff("claire", .manager, at: [lyon2, lyon7]).isStaff(at: paris))
        #expect(!Principal(id: "c-1", role: .customer, pizzeria: lyon2).isStaff(at: lyon2))
        #expect(!Principal.staff("nobody", .manager, at: []).isStaff(at: lyon2))
        #expect(Principal.staff("claire", .manager, at: [lyon2, lyon7, lyon2]).additionalPizzerias == [lyon7])
    }

    @Test("a single-pizzeria principal encodes as before; principals encoded before several pizzerias existed still decode")
    func codable() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let single = Principal.staff("paul", .manager, at: paris)
        #expect(String(decoding: try encoder.encode(single), as: UTF8.self) == #"{"id":"paul","pizzeria":"paris-11","role":"manager"}"#)
        let old = Data(#"{"id":"paul","role":"manager","pizzeria":"paris-11"}"#.utf8)
        #expect(try JSONDecoder().decode(Principal.self, from: old) == single)
        let admin = Data(#"{"id":"system","role":"groupAdmin"}"#.utf8)
        #expect(try JSONDecoder().decode(Principal.self, from: admin) == .system)
        let several = Principal.staff("claire", .manager, at: [lyon2, lyon7, paris])
        let json = String(decoding: try encoder.encode(several), as: UTF8.self)
        #expect(json == #"{"additionalPizzerias":["lyon-7","paris-11"],"id":"claire","pizzeria":"lyon-2","role":"manager"}"#)
        #expect(try JSONDecoder().decode(Principal.self, from: Data(json.utf8)) == several)
        #expect("\(several)" == "manager 'claire' at 'lyon-2' and 'lyon-7', 'paris-11'")
    }
}
