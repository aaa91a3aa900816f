package contacts

import (
	"fmt"
	"strings"

	"github.com/backupinspector/backupinspector/parsers/artifacts"
	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/report"
	"github.com/backupinspector/backupinspector/parsers/sqlite"
)

// Recovered rows of contacts2.db (artifacts.RecoveredModule).
//
// raw_contacts and data rows recovered from the database's free space,
// free pages, WAL or journal arrive in two calls, one per table, in the
// order of the schema. They become deleted contacts (Deleted set, in
// report.deleted.contacts), never merged into live ones:
//
//   - a recovered raw_contacts row is a deleted contact (display name,
//     account, starred), unless its _id is a raw contact still in the table
//     (live or flagged deleted=1, which ExtractDB already reports) or,
//     when its _id was lost, a raw contact of the table has the same
//     display name (then it is most likely an older version of that one);
//   - recovered data rows are grouped by raw_contact_id and mapped like live
//     ones (name, phones, e-mails, … through mimetype_id and the mimetypes
//     table); a group of a recovered raw contact adds its values to that
//     contact; a group of a raw contact found nowhere is a deleted contact
//     of its own (named by its name row); a group of a raw contact that is
//     still in the table holds values removed from that contact (an edited
//     or deleted number, an old name): they are reported as a separate
//     deleted contact carrying only those values, named after the live
//     contact, while values still present in the live data are left out;
//   - a raw contact whose _id was lost is joined to a data group by its
//     display name (the name row of a data group whose raw contact is not
//     otherwise known);
//   - a row whose raw_contact_id or mimetype_id could not be recovered is
//     left out (it cannot be attributed); missing values are never filled.
//
// Each contact's Source is the recovered row it started from
// ("<path>#<table>:<rowid or ?>@<where>,p<page>+<offset>"); the confidence of
// every row is in report.recovered under the same source.

// liveRaw is a raw contact of the live table.
type liveRaw struct {
	name    string
	account []report.Account
}

// recState is what ExtractRecovered keeps between its calls for one
// database.
type recState struct {
	env       dataEnv
	accounts  map[int64]report.Account
	mimetypes map[int64]string
	live      map[int64]liveRaw
	liveNames map[string]bool
	liveVals  map[int64]map[string]bool // raw contact id → data values still present
	byRaw     map[int64]int             // raw contact id → index in Report.Contacts
	byName    map[string][]int          // display name → contacts from raw_contacts rows whose _id was lost, not yet joined
	dataNamed map[string][]int          // display name → contacts from data groups whose raw contact was not found (yet)
	joined    map[int]bool              // contacts built from both a raw_contacts row and a data group
	src       map[int]string            // index → Source, to check an index still holds our record
	pending   map[int64]dbRow           // recovered raw_contacts rows without a name, by id
}

func (contactsDB) ExtractRecovered(ctx *artifacts.Context, f *container.File, db *sqlite.DB, t *sqlite.Table, rows []artifacts.RecoveredRow) error {
	name := strings.ToLower(t.Name)
	if name != "raw_contacts" && name != "data" {
		return nil
	}
	if isProfile(f, db) {
		return nil // the owner's own card: deleted versions of it are not contacts
	}
	st := ctx.State("contacts/recovered\x00"+f.Path, func() any { return loadRecState(ctx, db) }).(*recState)
	if name == "raw_contacts" {
		st.rawContacts(ctx, t, rows)
	} else {
		st.data(ctx, t, rows)
	}
	return nil
}

// loadRecState reads what the recovered rows are compared with: the live
// raw contacts and data, and the lookup tables.
func loadRecState(ctx *artifacts.Context, db *sqlite.DB) *recState {
	st := &recState{
		env:       dataEnv{country: DefaultCountry(ctx), packages: map[int64]string{}, groups: map[int64]string{}},
		accounts:  map[int64]report.Account{},
		mimetypes: map[int64]string{},
		live:      map[int64]liveRaw{},
		liveNames: map[string]bool{},
		liveVals:  map[int64]map[string]bool{},
		byRaw:     map[int64]int{},
		byName:    map[string][]int{},
		dataNamed: map[string][]int{},
		joined:    map[int]bool{},
		src:       map[int]string{},
		pending:   map[int64]dbRow{},
	}
	idOf := func(id int64, r dbRow) int64 {
		if v, ok := r.int("_id"); ok {
			return v
		}
		return id
	}
	_ = readTable(db, db.Table("accounts"), func(id int64, r dbRow) {
		st.accounts[idOf(id, r)] = account(r.str("account_type"), r.str("account_name"))
	})
	_ = readTable(db, db.Table("mimetypes"), func(id int64, r dbRow) { st.mimetypes[idOf(id, r)] = r.str("mimetype") })
	_ = readTable(db, db.Table("packages"), func(id int64, r dbRow) { st.env.packages[idOf(id, r)] = r.str("package") })
	_ = readTable(db, db.Table("groups"), func(id int64, r dbRow) {
		title := r.str("title")
		if title == "" {
			title = r.str("system_id")
		}
		st.env.groups[idOf(id, r)] = title
	})
	_ = readTable(db, db.Table("raw_contacts"), func(id int64, r dbRow) {
		id = idOf(id, r)
		lr := liveRaw{name: r.str("display_name"), account: st.accountOf(r)}
		st.live[id] = lr
		if lr.name != "" {
			st.liveNames[lr.name] = true
		}
	})
	_ = readTable(db, db.Table("data"), func(id int64, r dbRow) {
		rid, ok := r.int("raw_contact_id")
		if !ok {
			return
		}
		if st.liveVals[rid] == nil {
			st.liveVals[rid] = map[string]bool{}
		}
		st.liveVals[rid][st.valueKey(r)] = true
	})
	return st
}

// accountOf returns the account of a raw_contacts row, local when it has
// none.
func (st *recState) accountOf(r dbRow) []report.Account {
	if aid, ok := r.int("account_id"); ok {
		if a, ok := st.accounts[aid]; ok && (a.Type != "" || a.Name != "") {
			return []report.Account{a}
		}
	} else if typ, nam := r.str("account_type"), r.str("account_name"); typ != "" || nam != "" {
		return []report.Account{account(typ, nam)}
	}
	return []report.Account{{Type: "local", Kind: "local"}}
}

// mimeOf returns the MIME type of a data row, "" when unknown.
func (st *recState) mimeOf(r dbRow) string {
	if mid, ok := r.int("mimetype_id"); ok {
		return st.mimetypes[mid]
	}
	return r.str("mimetype")
}

// valueKey identifies what a data row says, to compare a recovered row
// with the live ones.
func (st *recState) valueKey(r dbRow) string {
	var b strings.Builder
	b.WriteString(st.mimeOf(r))
	for _, col := range []string{"data1", "data2", "data3", "data4", "data5", "data6"} {
		b.WriteByte(0)
		b.WriteString(r.str(col))
	}
	return b.String()
}

// contact returns the deleted contact at index i of the report if it is
// still the one this state added.
func (st *recState) contact(ctx *artifacts.Context, i int) *report.Contact {
	if i < 0 || i >= len(ctx.Report.Contacts) || ctx.Report.Contacts[i].Source != st.src[i] {
		return nil
	}
	return &ctx.Report.Contacts[i]
}

// add adds c and remembers where it is.
func (st *recState) add(ctx *artifacts.Context, c report.Contact) (int, bool) {
	if !ctx.AddContact(c) {
		return -1, false
	}
	i := len(ctx.Report.Contacts) - 1
	st.src[i] = c.Source
	return i, true
}

// rawIDOf returns a recovered row's rowid (the _id alias), if known.
func rawIDOf(rr artifacts.RecoveredRow, t *sqlite.Table) (int64, bool) {
	if rr.Row.HasRowID {
		return rr.Row.RowID, true
	}
	if i := t.ColumnIndex("_id"); i >= 0 && i < len(rr.Row.Values) && (i >= len(rr.Missing) || !rr.Missing[i]) {
		return rr.Row.Values[i].AsInt64()
	}
	return 0, false
}

func (st *recState) rawContacts(ctx *artifacts.Context, t *sqlite.Table, rows []artifacts.RecoveredRow) {
	for _, rr := range rows {
		r := dbRow{vals: rr.Row.Values, t: t}
		id, known := rawIDOf(rr, t)
		if known {
			if _, ok := st.live[id]; ok {
				continue // an older version of a raw contact still in the table
			}
		}
		name := r.str("display_name")
		if !known && (name == "" || st.liveNames[name]) {
			continue // nothing to tell it by, or most likely an older version of a live one
		}
		// A contact built earlier from this raw contact's data rows or
		// from another version of this row; when the _id was lost, the
		// one data group of an unknown raw contact with this name.
		idx, have := -1, false
		if known {
			idx, have = st.byRaw[id]
		} else if name != "" {
			idx, have = st.takeOne(ctx, st.dataNamed, name)
		}
		if have {
			st.joined[idx] = true
			if c := st.contact(ctx, idx); c != nil {
				if c.Name == "" {
					c.Name = name
				}
				if len(c.Accounts) == 0 {
					c.Accounts = st.accountOf(r)
				}
				if s, _ := r.int("starred"); s != 0 {
					c.Starred = true
				}
				setNote(c, "recovered raw_contacts", artifacts.RecoveredNote(t, rr))
				if known {
					st.byRaw[id] = idx
				}
				continue
			}
		}
		if name == "" {
			if known {
				st.pending[id] = r // its data rows may still come
			}
			continue
		}
		c := report.Contact{Name: name, Deleted: true, Source: rr.Source, Accounts: st.accountOf(r), Phones: []report.Phone{}, Emails: []string{}}
		setNote(&c, "recovered raw_contacts", artifacts.RecoveredNote(t, rr))
		if s, _ := r.int("starred"); s != 0 {
			c.Starred = true
		}
		i, ok := st.add(ctx, c)
		if !ok {
			return // memory budget reached (a problem says so)
		}
		if known {
			st.byRaw[id] = i
		} else {
			st.byName[name] = append(st.byName[name], i)
		}
	}
}

// takeOne removes and returns the contact listed under name in m when it
// is the only one (two would make the join a guess).
func (st *recState) takeOne(ctx *artifacts.Context, m map[string][]int, name string) (int, bool) {
	var l []int
	for _, i := range m[name] {
		if !st.joined[i] {
			l = append(l, i)
		}
	}
	if len(l) != 1 || st.contact(ctx, l[0]) == nil {
		return -1, false
	}
	delete(m, name)
	return l[0], true
}

func (st *recState) data(ctx *artifacts.Context, t *sqlite.Table, rows []artifacts.RecoveredRow) {
	type group struct {
		id   int64
		rows []artifacts.RecoveredRow
	}
	var groups []*group
	byID := map[int64]*group{}
	rc := t.ColumnIndex("raw_contact_id")
	for _, rr := range rows {
		if rc < 0 || rc >= len(rr.Row.Values) || (rc < len(rr.Missing) && rr.Missing[rc]) {
			continue // cannot be attributed to a contact
		}
		id, ok := rr.Row.Values[rc].AsInt64()
		if !ok {
			continue
		}
		g := byID[id]
		if g == nil {
			g = &group{id: id}
			byID[id] = g
			groups = append(groups, g)
		}
		g.rows = append(g.rows, rr)
	}
	for _, g := range groups {
		lr, isLive := st.live[g.id]
		// The values of this group, mapped as live rows are.
		var c report.Contact
		named := false
		seen := map[string]bool{}
		src := ""
		used, lowest := 0, 1.0
		for _, rr := range g.rows {
			r := dbRow{vals: rr.Row.Values, t: t}
			mime := st.mimeOf(r)
			if mime == "" {
				continue
			}
			key := st.valueKey(r)
			if seen[key] || (isLive && st.liveVals[g.id][key]) {
				continue // the same value twice, or still in the live data
			}
			seen[key] = true
			before := contactSize(&c)
			if addData(&c, mime, r, &st.env, !named) {
				named = true
			}
			if contactSize(&c) != before {
				if src == "" {
					src = rr.Source
				}
				used++
				lowest = min(lowest, rr.Confidence)
			}
		}
		if src == "" {
			continue // nothing this group says that is not known
		}
		setNote(&c, "recovered data", fmt.Sprintf("%d data row(s), lowest confidence %.2f", used, lowest))
		idx, have := st.byRaw[g.id]
		if !have && !isLive && c.Name != "" {
			if _, pend := st.pending[g.id]; !pend {
				idx, have = st.takeOne(ctx, st.byName, c.Name)
			}
		}
		if have {
			if dst := st.contact(ctx, idx); dst != nil {
				st.joined[idx] = true
				mergeContact(dst, &c)
				st.byRaw[g.id] = idx
				continue
			}
		}
		c.Deleted = true
		c.Source = src
		switch {
		case isLive:
			if c.Name == "" {
				c.Name = lr.name
			}
			c.Accounts = lr.account
		default:
			if r, ok := st.pending[g.id]; ok {
				c.Accounts = st.accountOf(r)
				if s, _ := r.int("starred"); s != 0 {
					c.Starred = true
				}
			}
		}
		if c.Accounts == nil {
			c.Accounts = []report.Account{}
		}
		if c.Phones == nil {
			c.Phones = []report.Phone{}
		}
		if c.Emails == nil {
			c.Emails = []string{}
		}
		i, ok := st.add(ctx, c)
		if !ok {
			return // memory budget reached (a problem says so)
		}
		if !isLive {
			st.byRaw[g.id] = i
			if _, pend := st.pending[g.id]; !pend && c.Name != "" {
				st.dataNamed[c.Name] = append(st.dataNamed[c.Name], i)
			}
		}
	}
}

// contactSize counts the values of c, to tell whether a row added one.
func contactSize(c *report.Contact) int {
	n := len(c.Phones) + len(c.Emails) + len(c.Organizations) + len(c.Addresses) + len(c.Notes) + len(c.Groups) +
		len(c.Websites) + len(c.IMs) + c.Photos
	for _, s := range []string{c.Name, c.Nickname, c.Birthday} {
		if s != "" {
			n++
		}
	}
	return n
}

// setNote sets c.Extra[key] to note unless it is set already (the first
// recovered row that made or added to the contact says it).
func setNote(c *report.Contact, key, note string) {
	if c.Extra == nil {
		c.Extra = map[string]string{}
	}
	if _, ok := c.Extra[key]; !ok {
		c.Extra[key] = note
	}
}

// mergeContact adds the values of src that dst does not have yet.
func mergeContact(dst, src *report.Contact) {
	for k, v := range src.Extra {
		setNote(dst, k, v)
	}
	if dst.Name == "" {
		dst.Name = src.Name
	}
	if dst.Nickname == "" {
		dst.Nickname = src.Nickname
	}
	if dst.Birthday == "" {
		dst.Birthday = src.Birthday
	}
	for _, p := range src.Phones {
		dup := false
		for _, q := range dst.Phones {
			if q.Number == p.Number {
				dup = true
			}
		}
		if !dup {
			dst.Phones = append(dst.Phones, p)
		}
	}
	dst.Emails = mergeStrings(dst.Emails, src.Emails)
	dst.Organizations = mergeStrings(dst.Organizations, src.Organizations)
	dst.Addresses = mergeStrings(dst.Addresses, src.Addresses)
	dst.Notes = mergeStrings(dst.Notes, src.Notes)
	dst.Groups = mergeStrings(dst.Groups, src.Groups)
	dst.Websites = mergeStrings(dst.Websites, src.Websites)
	dst.IMs = mergeStrings(dst.IMs, src.IMs)
	dst.Photos += src.Photos
}

func mergeStrings(dst, src []string) []string {
	for _, s := range src {
		dup := false
		for _, d := range dst {
			if d == s {
				dup = true
			}
		}
		if !dup {
			dst = append(dst, s)
		}
	}
	return dst
}
