package report

import (
	"sort"
)

// New returns an empty report stamped with the schema and generator.
func New() *Report {
	return &Report{
		Schema:    Schema,
		Generator: Generator{Name: GeneratorName, Version: Version},
	}
}

// Finalize puts r into its canonical form: every array non-nil and sorted in
// a stable order that depends only on the records themselves, and the
// exposure summary computed from the records. Calling it twice gives the
// same result.
func Finalize(r *Report) {
	if r.Inputs == nil {
		r.Inputs = []Input{}
	}
	if r.Messages == nil {
		r.Messages = []Message{}
	}
	if r.Contacts == nil {
		r.Contacts = []Contact{}
	}
	if r.Calls == nil {
		r.Calls = []Call{}
	}
	if r.Identifiers == nil {
		r.Identifiers = []Identifier{}
	}
	if r.Apps == nil {
		r.Apps = []App{}
	}
	sort.SliceStable(r.Apps, func(i, j int) bool { return r.Apps[i].Package < r.Apps[j].Package })
	if r.Files == nil {
		r.Files = []File{}
	}
	if r.Databases == nil {
		r.Databases = []Database{}
	}
	if r.Recovered == nil {
		r.Recovered = []Recovered{}
	}
	if r.Payloads == nil {
		r.Payloads = []Payload{}
	}
	if r.Problems == nil {
		r.Problems = []Problem{}
	}
	for i := range r.Messages {
		if r.Messages[i].Links == nil {
			r.Messages[i].Links = []Link{}
		}
	}
	for i := range r.Contacts {
		c := &r.Contacts[i]
		if c.Phones == nil {
			c.Phones = []Phone{}
		}
		if c.Emails == nil {
			c.Emails = []string{}
		}
		if c.Accounts == nil {
			c.Accounts = []Account{}
		}
	}

	sort.SliceStable(r.Inputs, func(i, j int) bool { return r.Inputs[i].Name < r.Inputs[j].Name })
	sort.SliceStable(r.Files, func(i, j int) bool { return r.Files[i].Path < r.Files[j].Path })
	sort.SliceStable(r.Databases, func(i, j int) bool { return r.Databases[i].Path < r.Databases[j].Path })
	sort.SliceStable(r.Messages, func(i, j int) bool {
		a, b := r.Messages[i], r.Messages[j]
		if c := cmpTime(a.Time, b.Time); c != 0 {
			return c < 0
		}
		return a.Source < b.Source
	})
	sort.SliceStable(r.Calls, func(i, j int) bool {
		a, b := r.Calls[i], r.Calls[j]
		if c := cmpTime(a.Time, b.Time); c != 0 {
			return c < 0
		}
		return a.Source < b.Source
	})
	sort.SliceStable(r.Contacts, func(i, j int) bool {
		a, b := r.Contacts[i], r.Contacts[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.Source < b.Source
	})
	sort.SliceStable(r.Identifiers, func(i, j int) bool {
		a, b := r.Identifiers[i], r.Identifiers[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.Value != b.Value {
			return a.Value < b.Value
		}
		return a.Source < b.Source
	})
	sort.SliceStable(r.Recovered, func(i, j int) bool {
		a, b := r.Recovered[i], r.Recovered[j]
		if a.Database != b.Database {
			return a.Database < b.Database
		}
		if a.Page != b.Page {
			return a.Page < b.Page
		}
		return a.Offset < b.Offset
	})
	sort.SliceStable(r.Payloads, func(i, j int) bool { return r.Payloads[i].Path < r.Payloads[j].Path })
	sort.SliceStable(r.Problems, func(i, j int) bool {
		a, b := r.Problems[i], r.Problems[j]
		if a.Input != b.Input {
			return a.Input < b.Input
		}
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if offsetOf(a) != offsetOf(b) {
			return offsetOf(a) < offsetOf(b)
		}
		if a.Code != b.Code {
			return a.Code < b.Code
		}
		return a.Message < b.Message
	})
	r.Exposure = ComputeExposure(r)
}

func offsetOf(p Problem) int64 {
	if p.Offset == nil {
		return -1
	}
	return *p.Offset
}

func cmpTime(a, b *Time) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1 // records without a time go last
	case b == nil:
		return -1
	}
	return a.Time.Compare(b.Time)
}
