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
	separateDeleted(r)
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

	sort.SliceStable(r.Inputs, func(i, j int) bool { return r.Inputs[i].Name < r.Inputs[j].Name })
	sort.SliceStable(r.Files, func(i, j int) bool { return r.Files[i].Path < r.Files[j].Path })
	sort.SliceStable(r.Databases, func(i, j int) bool { return r.Databases[i].Path < r.Databases[j].Path })
	sort.Strings(r.Device.Sources)
	sortMessages(r.Messages)
	sortMessages(r.Deleted.Messages)
	sortCalls(r.Calls)
	sortCalls(r.Deleted.Calls)
	sortContacts(r.Contacts)
	sortContacts(r.Deleted.Contacts)
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

// separateDeleted moves records flagged deleted out of the live arrays into
// r.Deleted, and makes every array non-nil.
func separateDeleted(r *Report) {
	live := r.Messages[:0]
	for _, m := range r.Messages {
		if m.Deleted {
			r.Deleted.Messages = append(r.Deleted.Messages, m)
		} else {
			live = append(live, m)
		}
	}
	r.Messages = live
	liveC := r.Contacts[:0]
	for _, c := range r.Contacts {
		if c.Deleted {
			r.Deleted.Contacts = append(r.Deleted.Contacts, c)
		} else {
			liveC = append(liveC, c)
		}
	}
	r.Contacts = liveC
	liveK := r.Calls[:0]
	for _, c := range r.Calls {
		if c.Deleted {
			r.Deleted.Calls = append(r.Deleted.Calls, c)
		} else {
			liveK = append(liveK, c)
		}
	}
	r.Calls = liveK
	if r.Deleted.Messages == nil {
		r.Deleted.Messages = []Message{}
	}
	if r.Deleted.Contacts == nil {
		r.Deleted.Contacts = []Contact{}
	}
	if r.Deleted.Calls == nil {
		r.Deleted.Calls = []Call{}
	}
	for _, arr := range [][]Message{r.Messages, r.Deleted.Messages} {
		for i := range arr {
			if arr[i].Links == nil {
				arr[i].Links = []Link{}
			}
		}
	}
	for _, arr := range [][]Contact{r.Contacts, r.Deleted.Contacts} {
		for i := range arr {
			c := &arr[i]
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
	}
}

func sortMessages(s []Message) {
	sort.SliceStable(s, func(i, j int) bool {
		a, b := s[i], s[j]
		if c := cmpTime(a.Time, b.Time); c != 0 {
			return c < 0
		}
		return a.Source < b.Source
	})
}

func sortCalls(s []Call) {
	sort.SliceStable(s, func(i, j int) bool {
		a, b := s[i], s[j]
		if c := cmpTime(a.Time, b.Time); c != 0 {
			return c < 0
		}
		return a.Source < b.Source
	})
}

func sortContacts(s []Contact) {
	sort.SliceStable(s, func(i, j int) bool {
		a, b := s[i], s[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.Source < b.Source
	})
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
