package contacts

import (
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/backupinspector/backupinspector/parsers/artifacts"
	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/report"
	"github.com/backupinspector/backupinspector/parsers/sqlite"
)

// contactsDB reads contacts2.db and profile.db (artifacts.md §2).
type contactsDB struct{}

func (contactsDB) Name() string { return "contacts/contacts2" }

func (contactsDB) MatchDB(f *container.File, db *sqlite.DB) bool {
	rc, data := db.Table("raw_contacts"), db.Table("data")
	if rc == nil || data == nil || data.ColumnIndex("raw_contact_id") < 0 || data.ColumnIndex("data1") < 0 {
		return false
	}
	return data.ColumnIndex("mimetype_id") >= 0 || data.ColumnIndex("mimetype") >= 0
}

// isProfile reports whether the database is the owner's profile.db.
func isProfile(f *container.File, db *sqlite.DB) bool {
	name := strings.ToLower(f.Name)
	if strings.HasPrefix(name, "profile") && strings.HasSuffix(name, ".db") {
		return true
	}
	// ProfileDatabaseHelper marks its database in the properties table? It
	// does not; fall back to the path.
	return strings.Contains(strings.ToLower(path.Dir(f.Path)), "/profile")
}

type dbRow struct {
	vals []sqlite.Value
	t    *sqlite.Table
}

func (r dbRow) str(col string) string {
	i := r.t.ColumnIndex(col)
	if i < 0 || i >= len(r.vals) || r.vals[i].IsNull() {
		return ""
	}
	if r.vals[i].Kind == sqlite.Blob {
		return ""
	}
	return strings.TrimSpace(r.vals[i].String())
}

func (r dbRow) int(col string) (int64, bool) {
	i := r.t.ColumnIndex(col)
	if i < 0 || i >= len(r.vals) {
		return 0, false
	}
	return r.vals[i].AsInt64()
}

func (r dbRow) present(col string) bool {
	i := r.t.ColumnIndex(col)
	if i < 0 || i >= len(r.vals) || r.vals[i].IsNull() {
		return false
	}
	v := r.vals[i]
	return v.Kind != sqlite.Text && v.Kind != sqlite.Blob || len(v.Bytes) > 0
}

// readTable reads every row of t (nil t gives nothing).
func readTable(db *sqlite.DB, t *sqlite.Table, fn func(rowid int64, r dbRow)) error {
	if t == nil {
		return nil
	}
	rows := db.Rows(t)
	for rows.Next() {
		row := rows.Row()
		fn(row.RowID, dbRow{vals: row.Values, t: t})
	}
	return rows.Err()
}

type rawContact struct {
	id      int64
	c       report.Contact
	acctTyp string
	acctNam string
	hasAcct bool
}

func (contactsDB) ExtractDB(ctx *artifacts.Context, f *container.File, db *sqlite.DB) error {
	owner := isProfile(f, db)
	country := DefaultCountry(ctx)

	// accounts
	type acct struct{ typ, name string }
	accounts := map[int64]acct{}
	if err := readTable(db, db.Table("accounts"), func(id int64, r dbRow) {
		if v, ok := r.int("_id"); ok {
			id = v
		}
		a := acct{typ: r.str("account_type"), name: r.str("account_name")}
		accounts[id] = a
		if a.name != "" && !owner {
			kind := report.AccountKind(a.typ)
			if kind != "local" && kind != "sim" {
				ctx.AddIdentifier(report.Identifier{Kind: report.IDAccount, Value: a.name, Label: a.typ, Valid: true,
					Details: map[string]string{"kind": kind, "from": "contacts provider accounts table"},
					Source:  artifacts.SourceRow(f, "accounts", id)})
			}
		}
	}); err != nil {
		ctx.Problem(f, -1, "sqlite", "accounts: %v", err)
	}

	mimetypes := map[int64]string{}
	_ = readTable(db, db.Table("mimetypes"), func(id int64, r dbRow) {
		if v, ok := r.int("_id"); ok {
			id = v
		}
		mimetypes[id] = r.str("mimetype")
	})
	packages := map[int64]string{}
	_ = readTable(db, db.Table("packages"), func(id int64, r dbRow) {
		if v, ok := r.int("_id"); ok {
			id = v
		}
		packages[id] = r.str("package")
	})
	groups := map[int64]string{}
	_ = readTable(db, db.Table("groups"), func(id int64, r dbRow) {
		if v, ok := r.int("_id"); ok {
			id = v
		}
		title := r.str("title")
		if title == "" {
			title = r.str("system_id")
		}
		groups[id] = title
	})

	// raw_contacts
	raws := map[int64]*rawContact{}
	var order []int64
	rcT := db.Table("raw_contacts")
	err := readTable(db, rcT, func(id int64, r dbRow) {
		if v, ok := r.int("_id"); ok {
			id = v
		}
		rc := &rawContact{id: id}
		rc.c.Name = r.str("display_name")
		if d, _ := r.int("deleted"); d != 0 {
			rc.c.Deleted = true
		}
		if s, _ := r.int("starred"); s != 0 {
			rc.c.Starred = true
		}
		rc.c.Owner = owner
		rc.c.Source = artifacts.SourceRow(f, rcT.Name, id)
		if aid, ok := r.int("account_id"); ok {
			if a, ok := accounts[aid]; ok {
				rc.acctTyp, rc.acctNam, rc.hasAcct = a.typ, a.name, true
			}
		} else if rcT.ColumnIndex("account_type") >= 0 {
			// Old schema: account columns in raw_contacts.
			rc.acctTyp, rc.acctNam, rc.hasAcct = r.str("account_type"), r.str("account_name"), true
		}
		if _, dup := raws[id]; !dup {
			order = append(order, id)
		}
		raws[id] = rc
	})
	if err != nil {
		ctx.Problem(f, -1, "sqlite", "raw_contacts: %v", err)
	}

	// data
	env := &dataEnv{country: country, packages: packages, groups: groups}
	dataT := db.Table("data")
	names := map[int64]bool{}
	err = readTable(db, dataT, func(id int64, r dbRow) {
		rid, ok := r.int("raw_contact_id")
		if !ok {
			return
		}
		rc := raws[rid]
		if rc == nil {
			return
		}
		mime := r.str("mimetype")
		if mid, ok := r.int("mimetype_id"); ok {
			mime = mimetypes[mid]
		}
		if addData(&rc.c, mime, r, env, !names[rid]) {
			names[rid] = true
		}
	})
	if err != nil {
		ctx.Problem(f, -1, "sqlite", "data: %v", err)
	}
	sort.Slice(order, func(i, j int) bool { return order[i] < order[j] })
	for _, id := range order {
		rc := raws[id]
		c := rc.c
		switch {
		case owner:
			c.Accounts = []report.Account{{Type: "profile", Kind: "local"}}
		case rc.hasAcct && (rc.acctTyp != "" || rc.acctNam != ""):
			c.Accounts = []report.Account{account(rc.acctTyp, rc.acctNam)}
		default:
			c.Accounts = []report.Account{{Type: "local", Kind: "local"}}
		}
		sort.Strings(c.Groups)
		if !ctx.AddContact(c) {
			break // memory budget reached (a problem says so)
		}
		if owner && !c.Deleted {
			for i, p := range c.Phones {
				v := p.Normalized
				valid := v != ""
				if v == "" {
					v = p.Number
				}
				ctx.AddIdentifier(report.Identifier{Kind: report.IDPhoneNumber, Value: v, Valid: valid, Label: "owner profile",
					Details: map[string]string{"type": p.Type, "written": p.Number}, Source: c.Source + "/phone[" + strconv.Itoa(i) + "]"})
			}
			for i, e := range c.Emails {
				ctx.AddIdentifier(report.Identifier{Kind: report.IDAccount, Value: e, Valid: strings.Contains(e, "@"), Label: "email",
					Details: map[string]string{"from": "owner profile"}, Source: c.Source + "/email[" + strconv.Itoa(i) + "]"})
			}
		}
	}
	return nil
}

// dataEnv is what mapping a data row needs besides the row.
type dataEnv struct {
	country  string
	packages map[int64]string
	groups   map[int64]string
}

// addData adds what data row r of MIME type mime says to c. firstName
// allows a name row to set c.Name; addData reports whether it did.
func addData(c *report.Contact, mime string, r dbRow, env *dataEnv, firstName bool) bool {
	d1 := r.str("data1")
	typ, _ := r.int("data2")
	switch mime {
	case "vnd.android.cursor.item/name":
		if d1 == "" {
			d1 = joinNonEmpty(" ", r.str("data4"), r.str("data2"), r.str("data5"), r.str("data3"), r.str("data6"))
		}
		if d1 != "" && firstName {
			c.Name = d1
			return true
		}
	case "vnd.android.cursor.item/phone_v2":
		if d1 == "" {
			return false
		}
		p := report.Phone{Number: d1, Type: PhoneType(int(typ), r.str("data3"))}
		if n := r.str("data4"); n != "" {
			p.Normalized = normalise(n, env.country)
		}
		if p.Normalized == "" {
			p.Normalized = normalise(d1, env.country)
		}
		c.Phones = append(c.Phones, p)
	case "vnd.android.cursor.item/email_v2":
		c.Emails = appendNonEmpty(c.Emails, d1)
	case "vnd.android.cursor.item/organization":
		c.Organizations = appendNonEmpty(c.Organizations, joinNonEmpty(", ", d1, r.str("data5"), r.str("data4")))
	case "vnd.android.cursor.item/postal-address_v2":
		if d1 == "" {
			d1 = joinNonEmpty(", ", r.str("data5"), r.str("data4"), r.str("data6"), r.str("data7"), r.str("data8"), r.str("data9"), r.str("data10"))
		}
		c.Addresses = appendNonEmpty(c.Addresses, d1)
	case "vnd.android.cursor.item/note":
		c.Notes = appendNonEmpty(c.Notes, d1)
	case "vnd.android.cursor.item/website":
		c.Websites = appendNonEmpty(c.Websites, d1)
	case "vnd.android.cursor.item/nickname":
		if c.Nickname == "" {
			c.Nickname = d1
		}
	case "vnd.android.cursor.item/contact_event":
		if typ == 3 && c.Birthday == "" {
			c.Birthday = d1
		}
	case "vnd.android.cursor.item/im":
		if d1 != "" {
			proto, _ := r.int("data5")
			if r.str("data5") == "" {
				proto = -1
			}
			c.IMs = append(c.IMs, IMProtocol(int(proto), r.str("data6"))+": "+d1)
		}
	case "vnd.android.cursor.item/sip_address":
		if d1 != "" {
			c.IMs = append(c.IMs, "SIP: "+d1)
		}
	case "vnd.android.cursor.item/photo":
		if r.present("data15") || r.present("data14") {
			c.Photos++
		}
	case "vnd.android.cursor.item/group_membership":
		if gid, ok := r.int("data1"); ok {
			if g := env.groups[gid]; g != "" {
				c.Groups = append(c.Groups, g)
			}
		}
	case "vnd.com.miui.cursor.item/xiaomiId":
		if d1 != "" {
			c.IMs = append(c.IMs, "Xiaomi ID: "+d1)
		}
	case "vnd.android.cursor.item/relation", "vnd.android.cursor.item/identity", "":
	default:
		// App-specific rows (a messenger's profile link, MIUI kinds):
		// they show which apps know this contact.
		if strings.HasPrefix(mime, "vnd.com.miui.cursor.item/") {
			return false
		}
		label := mime
		if i := strings.LastIndexByte(label, '/'); i >= 0 {
			label = label[i+1:]
		}
		if pid, ok := r.int("package_id"); ok && env.packages[pid] != "" {
			label = env.packages[pid]
		}
		v := d1
		if v == "" {
			v = r.str("data3")
		}
		if v != "" {
			c.IMs = append(c.IMs, label+": "+v)
		}
	}
	return false
}
