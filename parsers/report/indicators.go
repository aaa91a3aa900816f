package report

// Indicators is the result of matching indicator files (STIX2 bundles and
// lists of phone numbers) against the records of a report, offline. A match
// says that a value in the inputs equals a value an indicator lists; it is a
// lead for expert review, never a verdict about the phone.
//
// It is written by package indicators; the report carries it only when
// indicator files were given.
type Indicators struct {
	Matches []IndicatorMatch `json:"matches"`
	Checked IndicatorChecks  `json:"checked"`
	// Unsupported lists every indicator (or comparison inside an OR, or
	// line of a number list) that was not used, with the reason.
	Unsupported []UnsupportedIndicator `json:"unsupported"`
	// NotResolved lists links on known URL shorteners: their destination
	// is not known because nothing is ever looked up on the network.
	NotResolved []UnresolvedLink `json:"notResolved"`
	// Bundles are the indicator files loaded, in name order.
	Bundles []IndicatorBundle `json:"bundles"`
	// Note is the plain-language caveat shown with the matches.
	Note string `json:"note"`
}

// IndicatorChecks counts what was compared with the indicators.
type IndicatorChecks struct {
	Links        int `json:"links"`        // links and written domain names, distinct per record
	Apps         int `json:"apps"`         // distinct app packages present
	Files        int `json:"files"`        // files (name and SHA-256) and attachment names
	Emails       int `json:"emails"`       // e-mail addresses, distinct per record
	PhoneNumbers int `json:"phoneNumbers"` // phone numbers, distinct per record
	Properties   int `json:"properties"`   // Android system property names
	Indicators   int `json:"indicators"`   // usable comparisons loaded
}

// Indicator kinds: what an indicator value is compared with.
const (
	IndicatorDomain   = "domain-name"      // link hosts, written domains, e-mail domains; subdomains included
	IndicatorURL      = "url"              // links, after normalisation
	IndicatorEmail    = "email-addr"       // e-mail addresses
	IndicatorApp      = "app"              // Android package names present in the backup
	IndicatorFileName = "file-name"        // file and attachment names
	IndicatorSHA256   = "file-sha256"      // SHA-256 of extracted files
	IndicatorProperty = "android-property" // Android system property names
	IndicatorPhone    = "phone-number"     // E.164 numbers from a number list
)

// IndicatorMatch is one value in the report that an indicator lists.
type IndicatorMatch struct {
	IndicatorID   string `json:"indicatorId"`
	IndicatorName string `json:"indicatorName,omitempty"`
	// Pattern is the STIX pattern as written in the bundle, or
	// "line N" for a number list.
	Pattern string `json:"pattern"`
	Kind    string `json:"kind"` // one of the Indicator* kinds
	// Indicated is the indicator's value, normalised.
	Indicated   string                `json:"indicated"`
	Bundle      string                `json:"bundle"`
	Collections []IndicatorCollection `json:"collections"` // what the indicator indicates; empty when the bundle names nothing
	// Record is the kind of record: message, contact, call, identifier,
	// file, app, attachment, recovered, payload.
	Record string `json:"record"`
	Source string `json:"source"` // provenance path of the record
	Field  string `json:"field"`  // body, subject, notes, emails, number, path, sha256, package…
	// Value is what was found in the record, normalised (a link, a host,
	// an address, a number, a package, a file name or hash).
	Value   string `json:"value"`
	Display string `json:"display,omitempty"` // Unicode form of an IDN host
	// How says how the values compare: exact, subdomain, without-fragment,
	// national-number.
	How       string   `json:"how"`
	Context   *Excerpt `json:"context,omitempty"`
	Deleted   bool     `json:"deleted,omitempty"`
	Shortener bool     `json:"shortener,omitempty"`
	// Explanation is one plain sentence saying all of the above.
	Explanation string `json:"explanation"`
}

// IndicatorCollection is a malware, campaign, intrusion set, threat actor,
// tool, infrastructure, attack pattern or report that indicators point to.
type IndicatorCollection struct {
	ID         string `json:"id"`
	Type       string `json:"type"`
	Name       string `json:"name"`
	Indicators int    `json:"indicators,omitempty"` // in Bundles only: how many indicators point to it
}

// Excerpt is the text around a match: Before + Text + After, each short,
// with "…" where text was cut.
type Excerpt struct {
	Before string `json:"before"`
	Text   string `json:"text"`
	After  string `json:"after"`
}

// UnsupportedIndicator is an indicator, a comparison, or a number-list line
// that was not used.
type UnsupportedIndicator struct {
	Bundle  string `json:"bundle"`
	ID      string `json:"id,omitempty"`
	Name    string `json:"name,omitempty"`
	Pattern string `json:"pattern,omitempty"`
	Line    int    `json:"line,omitempty"`   // number lists: 1-based line
	Offset  *int   `json:"offset,omitempty"` // byte offset in the pattern
	// Invalid is true when the pattern (or line) is malformed; false when it
	// is valid but asks for something not supported.
	Invalid bool `json:"invalid"`
	// Partial is true when only this comparison of an OR was left out and
	// the indicator's other comparisons are used.
	Partial bool   `json:"partial,omitempty"`
	Reason  string `json:"reason"`
}

// UnresolvedLink is a link on a known URL shortener.
type UnresolvedLink struct {
	URL     string   `json:"url"`
	Host    string   `json:"host"`
	Record  string   `json:"record"`
	Source  string   `json:"source"`
	Field   string   `json:"field"`
	Context *Excerpt `json:"context,omitempty"`
	Note    string   `json:"note"`
}

// IndicatorBundle describes one loaded indicator file.
type IndicatorBundle struct {
	Name        string                `json:"name"`
	Format      string                `json:"format"` // stix2 | number-list
	Size        int64                 `json:"size"`
	SHA256      string                `json:"sha256"`
	Indicators  int                   `json:"indicators"`  // indicator objects, or numbered lines
	Used        int                   `json:"used"`        // indicators with at least one usable comparison
	Unsupported int                   `json:"unsupported"` // entries in Indicators.Unsupported from this file
	Collections []IndicatorCollection `json:"collections"`
}
