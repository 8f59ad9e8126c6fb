extension DocumentEncoder {
    /// A key of a coding path: a member's name or an element's index.
    struct PathKey: CodingKey {
        var stringValue: String
        var intValue: Int?

        init(stringValue: String) {
            self.stringValue = stringValue
            self.intValue = nil
        }

        init(intValue: Int) {
            self.stringValue = "Index \(intValue)"
            self.intValue = intValue
        }

        /// The key `JSONEncoder` gives a keyed container's `superEncoder()`.
        static let `super` = PathKey(stringValue: "super")
    }

    /// The coding path of the slot at `depth`: the member or element each of the outer
    /// containers is writing. It is rebuilt from the JSON written (for error messages and the
    /// rare `encode(to:)` that reads it), so the fast path keeps no keys; a key that needed
    /// escaping reads as it was escaped.
    func codingPath(depth: Int) -> [any CodingKey] {
        var path: [any CodingKey] = []
        for index in 0..<min(depth, frames.count) {
            let frame = frames[index]
            if frame.isObject {
                let end = index + 1 < frames.count ? frames[index + 1].keysStart : keyMarks.count
                guard end - 2 >= frame.keysStart else { continue }
                let text = bytes[(keyMarks[end - 2] + 1)..<(keyMarks[end - 1] - 1)]
                path.append(PathKey(stringValue: String(decoding: text, as: UTF8.self)))
            } else {
                path.append(PathKey(intValue: max(frame.count - 1, 0)))
            }
        }
        return path
    }
}
