package indicators

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/backupinspector/backupinspector/parsers/report"
)

// Note is the caveat that goes with every indicators result.
const Note = "An indicator match means that a value in these inputs equals a value listed in an indicator file. " +
	"It is a lead for review, not proof that the phone was compromised: a link may have been received and never opened, " +
	"and indicator files can hold mistakes. Only expert review can confirm. Nothing was looked up on the network: " +
	"shortened links were not resolved."

// How values compare, in IndicatorMatch.How.
const (
	HowExact           = "exact"
	HowSubdomain       = "subdomain"        // the host is under the indicated domain
	HowWithoutFragment = "without-fragment" // the link equals the URL once its #fragment is set aside
	HowNationalNumber  = "national-number"  // the stored number has no country code; its digits end the listed number
)

type ref struct {
	ind *indicator
	c   *Comparison
	// for URL comparisons
	scheme string
}

type index struct {
	byKind      map[string]map[string][]ref
	phoneSuffix map[string][]ref
}

func (s *Set) index() *index {
	ix := &index{byKind: map[string]map[string][]ref{}, phoneSuffix: map[string][]ref{}}
	add := func(kind, key string, r ref) {
		m := ix.byKind[kind]
		if m == nil {
			m = map[string][]ref{}
			ix.byKind[kind] = m
		}
		m[key] = append(m[key], r)
	}
	if s == nil {
		return ix
	}
	for _, b := range s.bundles {
		for _, ind := range b.indicators {
			for i := range ind.comps {
				c := &ind.comps[i]
				r := ref{ind: ind, c: c}
				switch c.Kind {
				case report.IndicatorURL:
					u, err := NormalizeURL(c.Value)
					if err != nil {
						continue
					}
					r.scheme = u.Scheme
					add(c.Kind, u.Key, r)
				case report.IndicatorPhone:
					add(c.Kind, c.Value, r)
					d := strings.TrimPrefix(c.Value, "+")
					for k := 7; k < len(d); k++ {
						suf := d[len(d)-k:]
						if suf[0] == '0' {
							continue
						}
						ix.phoneSuffix[suf] = append(ix.phoneSuffix[suf], r)
					}
				default:
					add(c.Kind, c.Value, r)
				}
			}
		}
	}
	return ix
}

// rec is the record being matched.
type rec struct {
	kind, source string
	deleted      bool
}

type matcher struct {
	ix          *index
	out         map[string]*report.IndicatorMatch
	checked     report.IndicatorChecks
	seen        map[string]bool
	notResolved map[string]*report.UnresolvedLink
}

// Match compares the set's indicators with every record of rep (a finished
// report) and returns the result for rep.Indicators. It reads rep only and
// never touches the network. The result is deterministic: the same report
// and indicator files give the same result in any order of loading.
func (s *Set) Match(rep *report.Report) *report.Indicators {
	m := &matcher{ix: s.index(), out: map[string]*report.IndicatorMatch{}, seen: map[string]bool{},
		notResolved: map[string]*report.UnresolvedLink{}}
	m.checked.Indicators = s.Len()
	if rep != nil {
		m.report(rep)
	}
	res := &report.Indicators{
		Matches:     make([]report.IndicatorMatch, 0, len(m.out)),
		Checked:     m.checked,
		Unsupported: s.Unsupported(),
		NotResolved: make([]report.UnresolvedLink, 0, len(m.notResolved)),
		Bundles:     s.Bundles(),
		Note:        Note,
	}
	for _, x := range m.out {
		x.Explanation = explain(x)
		res.Matches = append(res.Matches, *x)
	}
	sort.Slice(res.Matches, func(i, j int) bool { return matchLess(&res.Matches[i], &res.Matches[j]) })
	for _, u := range m.notResolved {
		res.NotResolved = append(res.NotResolved, *u)
	}
	sort.Slice(res.NotResolved, func(i, j int) bool {
		a, b := res.NotResolved[i], res.NotResolved[j]
		if a.Source != b.Source {
			return naturalLess(a.Source, b.Source)
		}
		if a.URL != b.URL {
			return a.URL < b.URL
		}
		return a.Field < b.Field
	})
	sort.SliceStable(res.Unsupported, func(i, j int) bool {
		a, b := res.Unsupported[i], res.Unsupported[j]
		if a.Bundle != b.Bundle {
			return a.Bundle < b.Bundle
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.ID < b.ID
	})
	return res
}

func collName(cs []report.IndicatorCollection) string {
	if len(cs) == 0 {
		return ""
	}
	return cs[0].Name + "\x00" + cs[0].ID
}

func matchLess(a, b *report.IndicatorMatch) bool {
	ka := []string{a.Bundle, collName(a.Collections), a.IndicatorID, a.Indicated, a.Record, a.Source, a.Field, a.Value}
	kb := []string{b.Bundle, collName(b.Collections), b.IndicatorID, b.Indicated, b.Record, b.Source, b.Field, b.Value}
	for i := range ka {
		if ka[i] != kb[i] {
			return naturalLess(ka[i], kb[i])
		}
	}
	return false
}

// naturalLess orders strings with runs of digits compared as numbers, so
// that json[2] comes before json[10].
func naturalLess(a, b string) bool {
	for a != "" && b != "" {
		if isDigit(a[0]) && isDigit(b[0]) {
			i, j := digitRun(a), digitRun(b)
			na, nb := strings.TrimLeft(a[:i], "0"), strings.TrimLeft(b[:j], "0")
			if len(na) != len(nb) {
				return len(na) < len(nb)
			}
			if na != nb {
				return na < nb
			}
			if i != j {
				return i < j
			}
			a, b = a[i:], b[j:]
			continue
		}
		if a[0] != b[0] {
			return a[0] < b[0]
		}
		a, b = a[1:], b[1:]
	}
	return len(a) < len(b)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func digitRun(s string) int {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

// report walks every record of rep.
func (m *matcher) report(rep *report.Report) {
	// Live records first, then deleted-but-present ones (marked deleted).
	msgs := append(append([]report.Message{}, rep.Messages...), rep.Deleted.Messages...)
	contacts := append(append([]report.Contact{}, rep.Contacts...), rep.Deleted.Contacts...)
	calls := append(append([]report.Call{}, rep.Calls...), rep.Deleted.Calls...)
	for _, msg := range msgs {
		r := rec{"message", msg.Source, msg.Deleted}
		texts := []fieldText{{"subject", msg.Subject}, {"body", msg.Body}}
		m.texts(r, texts)
		m.links(r, msg.Links, texts)
		addrs := append([]string{msg.Address}, msg.Addresses...)
		for _, a := range addrs {
			if strings.Contains(a, "@") {
				m.emailValue(r, "address", a)
			} else {
				m.phone(r, "address", a)
			}
		}
		for _, at := range msg.Attachments {
			if at.Name != "" {
				m.checked.Files++
				m.exact(r, "attachment", report.IndicatorFileName, at.Name, at.Name, nil)
			}
		}
	}
	for _, c := range contacts {
		r := rec{"contact", c.Source, c.Deleted}
		texts := []fieldText{{"name", c.Name}, {"nickname", c.Nickname}}
		for _, f := range []struct {
			name string
			vals []string
		}{{"organizations", c.Organizations}, {"addresses", c.Addresses}, {"notes", c.Notes}, {"websites", c.Websites}, {"ims", c.IMs}} {
			for _, v := range f.vals {
				texts = append(texts, fieldText{f.name, v})
			}
		}
		m.texts(r, texts)
		for _, p := range c.Phones {
			n := p.Normalized
			if n == "" {
				n = p.Number
			}
			m.phone(r, "phones", n)
		}
		for _, e := range c.Emails {
			m.emailValue(r, "emails", e)
		}
		m.links(r, c.Links, texts)
	}
	for _, c := range calls {
		r := rec{"call", c.Source, c.Deleted}
		m.phone(r, "number", c.Number)
		m.text(r, "name", c.Name)
	}
	for _, id := range rep.Identifiers {
		r := rec{"identifier", id.Source, false}
		if id.Kind == report.IDPhoneNumber {
			m.phone(r, "value", id.Value)
		} else if strings.Contains(id.Value, "@") && !strings.ContainsAny(strings.TrimSpace(id.Value), " \t\n") {
			m.emailValue(r, "value", id.Value)
		} else {
			m.text(r, "value", id.Value)
		}
		keys := make([]string, 0, len(id.Details))
		for k := range id.Details {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if k == "property" || k == "key" && propertyFile(id.Source) {
				m.property(r, id.Details[k])
				continue
			}
			m.text(r, "details."+k, id.Details[k])
		}
	}
	for _, rc := range rep.Recovered {
		r := rec{"recovered", fmt.Sprintf("%s#%s@page%d+%d", rc.Database, rc.Table, rc.Page, rc.Offset), true}
		for i, raw := range rc.Values {
			var s string
			if json.Unmarshal(raw, &s) != nil || s == "" {
				continue
			}
			field := fmt.Sprintf("values[%d]", i)
			if d, intl := phoneDigits(s); intl && len(d) >= 7 {
				m.phone(r, field, s)
				continue
			}
			m.text(r, field, s)
		}
	}
	for _, p := range rep.Payloads {
		if len(p.Tree) == 0 {
			continue
		}
		r := rec{"payload", p.Path, false}
		var v any
		if json.Unmarshal(p.Tree, &v) != nil {
			continue
		}
		walkStrings(v, func(s string) { m.text(r, "tree", s) })
	}
	for _, f := range rep.Files {
		r := rec{"file", f.Path, false}
		m.checked.Files++
		name := fileName(f.Path)
		m.exact(r, "name", report.IndicatorFileName, name, name, nil)
		if f.SHA256 != "" {
			h := strings.ToLower(f.SHA256)
			m.exact(r, "sha256", report.IndicatorSHA256, h, h, nil)
		}
	}
	for _, a := range Apps(rep) {
		m.checked.Apps++
		m.exact(rec{"app", a.Source, false}, "package", report.IndicatorApp, a.Package, a.Package, nil)
	}
}

func walkStrings(v any, f func(string)) {
	switch v := v.(type) {
	case string:
		f(v)
	case []any:
		for _, x := range v {
			walkStrings(x, f)
		}
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			walkStrings(v[k], f)
		}
	}
}

// first reports whether key is new, and records it.
func (m *matcher) first(key string) bool {
	if m.seen[key] {
		return false
	}
	m.seen[key] = true
	return true
}

func (m *matcher) texts(r rec, texts []fieldText) {
	for _, t := range texts {
		m.text(r, t.field, t.text)
	}
}

// text scans free text for links, domain names and e-mail addresses.
func (m *matcher) text(r rec, field, s string) {
	if s == "" {
		return
	}
	for _, h := range scanText(s) {
		ctx := func() *report.Excerpt { return makeExcerpt(s, h.start, h.end) }
		switch h.kind {
		case hitURL:
			m.link(r, field, h.url, false, ctx)
		case hitHost:
			if m.first("L\x00" + r.source + "\x00" + h.host) {
				m.checked.Links++
			}
			m.domain(r, field, h.host, h.host, ctx, false)
		case hitEmail:
			m.email(r, field, h.email, h.host, ctx)
		}
	}
}

// links checks links that the link extractor put on a record, except
// those whose text was already read in one of the record's texts.
func (m *matcher) links(r rec, links []report.Link, texts []fieldText) {
	scanned := map[int][]hit{}
	for _, l := range links {
		raw := l.URL
		if raw == "" {
			raw = l.Text
		}
		u, err := NormalizeURL(raw)
		if err != nil {
			continue
		}
		var ctx *report.Excerpt
		covered := false
		if l.Text != "" {
			for k, t := range texts {
				i := strings.Index(t.text, l.Text)
				if i < 0 {
					continue
				}
				ctx = makeExcerpt(t.text, i, i+len(l.Text))
				hits, ok := scanned[k]
				if !ok {
					hits = scanText(t.text)
					scanned[k] = hits
				}
				for _, h := range hits {
					if h.start < i+len(l.Text) && i < h.end {
						covered = true
					}
				}
				break
			}
			if ctx == nil {
				ctx = &report.Excerpt{Text: oneLine(l.Text)}
			}
		}
		if !covered {
			m.link(r, "links", u, l.Shortener, fixed(ctx))
		}
	}
}

type fieldText struct{ field, text string }

// excerptFn makes a match's excerpt only when a match needs one.
type excerptFn func() *report.Excerpt

func (f excerptFn) get() *report.Excerpt {
	if f == nil {
		return nil
	}
	return f()
}

func fixed(e *report.Excerpt) excerptFn {
	if e == nil {
		return nil
	}
	return func() *report.Excerpt { return e }
}

func (m *matcher) link(r rec, field string, u URL, shortener bool, ctx excerptFn) {
	val := u.String()
	if u.Fragment != "" {
		val += "#" + u.Fragment
	}
	if m.first("L\x00" + r.source + "\x00" + u.String()) {
		m.checked.Links++
	}
	shortener = shortener || IsShortener(u.Host)
	if shortener {
		key := r.source + "\x00" + u.String()
		if _, ok := m.notResolved[key]; !ok {
			m.notResolved[key] = &report.UnresolvedLink{URL: val, Host: u.Host, Record: r.kind, Source: r.source, Field: field, Context: ctx.get(),
				Note: "not resolved: " + u.Host + " is a URL shortener and its destination was not looked up (no network access)"}
		}
	}
	for _, x := range m.ix.byKind[report.IndicatorURL][u.Key] {
		if x.scheme != "" && u.Scheme != "" && x.scheme != u.Scheme {
			continue
		}
		how := HowExact
		if u.Fragment != "" {
			how = HowWithoutFragment
		}
		m.add(x, r, field, val, u.Host, how, ctx, shortener)
	}
	m.domain(r, field, u.Host, val, ctx, shortener)
}

// domain checks host against domain indicators: the domain itself and
// every parent domain, so a.evil.com matches evil.com while notevil.com
// and evil.com.example.net do not. IP addresses match only exactly.
func (m *matcher) domain(r rec, field, host, value string, ctx excerptFn, shortener bool) {
	idx := m.ix.byKind[report.IndicatorDomain]
	if len(idx) == 0 || host == "" {
		return
	}
	h := host
	for {
		for _, x := range idx[h] {
			how := HowExact
			if h != host {
				how = HowSubdomain
			}
			m.add(x, r, field, value, host, how, ctx, shortener)
		}
		if isIP(host) {
			return
		}
		i := strings.IndexByte(h, '.')
		if i < 0 {
			return
		}
		h = h[i+1:]
	}
}

func (m *matcher) emailValue(r rec, field, s string) {
	e, err := NormalizeEmail(s)
	if err != nil {
		m.text(r, field, s)
		return
	}
	m.email(r, field, e, e[strings.LastIndexByte(e, '@')+1:], fixed(&report.Excerpt{Text: oneLine(s)}))
}

func (m *matcher) email(r rec, field, e, host string, ctx excerptFn) {
	if m.first("E\x00" + r.source + "\x00" + e) {
		m.checked.Emails++
	}
	for _, x := range m.ix.byKind[report.IndicatorEmail][e] {
		m.add(x, r, field, e, host, HowExact, ctx, false)
	}
	m.domain(r, field, host, e, ctx, false)
}

// phone checks a stored number against number lists.
func (m *matcher) phone(r rec, field, s string) {
	d, intl := phoneDigits(s)
	if d == "" {
		return
	}
	ctx := fixed(&report.Excerpt{Text: oneLine(s)})
	if intl {
		if len(d) < 7 {
			return
		}
		v := "+" + d
		if m.first("P\x00" + r.source + "\x00" + v) {
			m.checked.PhoneNumbers++
		}
		for _, x := range m.ix.byKind[report.IndicatorPhone][v] {
			m.add(x, r, field, v, "", HowExact, ctx, false)
		}
		return
	}
	nat := strings.TrimLeft(d, "0")
	if len(nat) < 7 {
		return // short codes and service numbers
	}
	if m.first("P\x00" + r.source + "\x00" + nat) {
		m.checked.PhoneNumbers++
	}
	refs := m.ix.phoneSuffix[nat]
	if len(refs) == 0 && len(nat) == 11 && nat[0] == '8' {
		refs = m.ix.phoneSuffix[nat[1:]] // trunk prefix 8 (Russia and neighbours)
	}
	for _, x := range refs {
		m.add(x, r, field, d, "", HowNationalNumber, ctx, false)
	}
}

// propertyFile reports whether a source is a system-property dump
// (getprop output, build.prop, default.prop…).
func propertyFile(src string) bool {
	if i := strings.IndexAny(src, "#@"); i >= 0 {
		src = src[:i]
	}
	base := strings.ToLower(fileName(src))
	return strings.Contains(base, "getprop") || strings.HasSuffix(base, ".prop")
}

func (m *matcher) property(r rec, name string) {
	if name == "" {
		return
	}
	if m.first("R\x00" + name) {
		m.checked.Properties++
	}
	m.exact(r, "details.property", report.IndicatorProperty, name, name, nil)
}

// exact looks a value up in the index of one kind.
func (m *matcher) exact(r rec, field, kind, key, value string, ctx excerptFn) {
	for _, x := range m.ix.byKind[kind][key] {
		m.add(x, r, field, value, "", HowExact, ctx, false)
	}
}

func (m *matcher) add(x ref, r rec, field, value, host, how string, ctx excerptFn, shortener bool) {
	key := strings.Join([]string{x.ind.bundle, x.ind.id, x.c.Kind, x.c.Value, r.kind, r.source, value}, "\x00")
	if _, ok := m.out[key]; ok {
		return
	}
	colls := x.ind.collections
	if colls == nil {
		colls = []report.IndicatorCollection{}
	}
	m.out[key] = &report.IndicatorMatch{
		IndicatorID:   x.ind.id,
		IndicatorName: x.ind.name,
		Pattern:       x.ind.pattern,
		Kind:          x.c.Kind,
		Indicated:     x.c.Value,
		Bundle:        x.ind.bundle,
		Collections:   colls,
		Record:        r.kind,
		Source:        r.source,
		Field:         field,
		Value:         value,
		Display:       DisplayDomain(host),
		How:           how,
		Context:       ctx.get(),
		Deleted:       r.deleted,
		Shortener:     shortener,
	}
}

// explain says what a match is in one sentence, in plain words.
func explain(x *report.IndicatorMatch) string {
	var what string
	switch x.Kind {
	case report.IndicatorDomain, report.IndicatorURL:
		switch {
		case strings.Contains(x.Value, "@"):
			what = fmt.Sprintf("the e-mail address %q", x.Value)
		case strings.Contains(x.Value, "/"):
			what = fmt.Sprintf("the link %q", x.Value)
		default:
			what = fmt.Sprintf("the domain name %q", x.Value)
		}
	case report.IndicatorEmail:
		what = fmt.Sprintf("the e-mail address %q", x.Value)
	case report.IndicatorPhone:
		what = fmt.Sprintf("the phone number %q", x.Value)
	case report.IndicatorApp:
		what = fmt.Sprintf("the app package %q", x.Value)
	case report.IndicatorFileName:
		what = fmt.Sprintf("the file name %q", x.Value)
	case report.IndicatorSHA256:
		what = fmt.Sprintf("the SHA-256 %s", x.Value)
	case report.IndicatorProperty:
		what = fmt.Sprintf("the system property name %q", x.Value)
	}
	where := fmt.Sprintf("in the %s of %s %s", x.Field, article(x.Record), x.Source)
	if x.Record == "file" || x.Record == "app" {
		where = fmt.Sprintf("of %s %s", x.Record, x.Source)
		if x.Record == "app" {
			where = "present in the backup (" + x.Source + ")"
		}
	}
	indicated := fmt.Sprintf("%q", x.Indicated)
	if x.Kind == report.IndicatorDomain {
		if d := DisplayDomain(x.Indicated); d != "" {
			indicated += " (" + d + ")"
		}
	}
	var rel string
	switch x.How {
	case HowSubdomain:
		rel = "is under the domain " + indicated
	case HowWithoutFragment:
		rel = fmt.Sprintf("equals %q once its #fragment is set aside", x.Indicated)
	case HowNationalNumber:
		rel = fmt.Sprintf("(stored without a country code) ends with the digits of %q", x.Indicated)
	default:
		if x.Indicated == x.Value {
			rel = "is"
		} else if x.Kind == report.IndicatorDomain {
			rel = "is on the domain " + indicated
		} else {
			rel = fmt.Sprintf("matches %q", x.Indicated)
		}
	}
	if x.Display != "" {
		what += fmt.Sprintf(" (shown as %s)", x.Display)
	}
	name := x.IndicatorID
	if x.IndicatorName != "" {
		name = fmt.Sprintf("%q (%s)", x.IndicatorName, x.IndicatorID)
	}
	var coll string
	switch {
	case x.Kind == report.IndicatorPhone:
		coll = " (a number list names no malware or campaign)"
	case len(x.Collections) == 0:
		coll = "; the file names no malware or campaign for it"
	default:
		var parts []string
		for _, c := range x.Collections {
			n := c.Name
			if n == "" {
				n = c.ID
			}
			parts = append(parts, fmt.Sprintf("%s %q", c.Type, n))
		}
		coll = ", which points to " + strings.Join(parts, " and ")
	}
	s := fmt.Sprintf("Indicator match: %s %s %s, listed by indicator %s in %s%s.", what, where, rel, name, x.Bundle, coll)
	if rel == "is" {
		s = fmt.Sprintf("Indicator match: %s %s is listed by indicator %s in %s%s.", what, where, name, x.Bundle, coll)
	}
	if x.Deleted {
		s += " The record is deleted (recovered or marked deleted)."
	}
	if x.Shortener {
		s += " The link is on a URL shortener; where it leads was not looked up."
	}
	return s
}

func article(kind string) string {
	switch kind {
	case "identifier":
		return "an identifier at"
	case "recovered":
		return "a recovered record at"
	}
	return "the " + kind
}
