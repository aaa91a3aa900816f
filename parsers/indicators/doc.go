// Package indicators matches indicator files — STIX2 bundles as published
// by investigations and consumed by MVT, and plain lists of phone numbers —
// against a finished report, fully offline, and explains every match.
//
// Load reads one file (the format is sniffed from the content); Merge joins
// several; (*Set).Match compares them with a *report.Report and returns the
// value for report.Report.Indicators.
//
// Supported STIX patterns are equality comparisons joined by OR, inside one
// observation expression or between several:
//
//	[domain-name:value = 'evil.com']          the domain and its subdomains, never a longer look-alike
//	[url:value = 'https://evil.com/x']        links, after normalisation
//	[email-addr:value = 'a@evil.com']         e-mail addresses
//	[app:id = 'com.evil.app']                 Android packages present in the backup
//	[file:name = 'payload.apk']               names of extracted files and attachments
//	[file:hashes.sha256 = '…']                SHA-256 of extracted files (also hashes.'SHA-256')
//	[android-property:name = 'persist.x']     Android system property names recorded in the report
//
// Anything else (AND, FOLLOWEDBY, NOT, qualifiers, other operators and
// object paths, other pattern languages, revoked indicators) is listed in
// Indicators.Unsupported with the reason, never silently skipped.
// Indicators are grouped by the malware, campaign, intrusion set, threat
// actor or tool they "indicate" (relationship objects) and by the reports
// that list them (object_refs, MVT's convention).
//
// Links are found in message bodies and subjects, every contact field, call
// names, identifiers, recovered records and payload trees, and are also
// taken from report.Link values. Links on known URL shorteners are listed
// as not resolved: this package has no network code at all and never
// resolves, fetches or looks up anything. Matches say "indicator match",
// never more: a match is a lead for expert review, not a verdict.
package indicators
