/// Reads USPTO full-text patent XML, bibliographic part: grants (`us-patent-grant`, with
/// `us-bibliographic-data-grant`) and pre-grant publications (`us-patent-application`, with
/// `us-bibliographic-data-application`), DTD versions 4.0 and later (`us-parties` or `parties`).
///
/// A weekly bulk file concatenates thousands of documents, each with its own XML declaration and
/// DOCTYPE: `RegisterReader` reads it as a sequence (`XMLDocumentSequenceStream`), streaming, and
/// each document is a record whose source is `us-patent-grant[n]`. The elements are ST.36's, read by
/// `ST36Reader`; what is USPTO's own: the application type (`appl-type`: utility, design, plant,
/// reissue) gives the record's kind; US application numbers take the docket's form
/// (`17/123,456`, the series code and serial); the grant number is kept as given (`11234567`,
/// `D0987654`); the 371(c) date of a national stage is a national-phase event; US provisional
/// applications are priority claims.
enum USPTOReader {
    /// The root elements, by format.
    static let roots: [String: RegisterFormat] = [
        "us-patent-grant": .usptoGrant,
        "us-patent-application": .usptoApplication,
    ]
}
