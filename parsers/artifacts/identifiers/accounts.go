package identifiers

import (
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/backupinspector/backupinspector/parsers/abx"
	"github.com/backupinspector/backupinspector/parsers/artifacts"
	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/report"
	"github.com/backupinspector/backupinspector/parsers/sqlite"
)

// accountsDB reads the account manager's databases: accounts_ce.db,
// accounts_de.db and the pre-Android 7 accounts.db (artifacts.md §4.5).
// Passwords and auth tokens are counted, never copied.
type accountsDB struct{}

func (accountsDB) Name() string { return "identifiers/accounts" }

func (accountsDB) MatchDB(f *container.File, db *sqlite.DB) bool {
	t := db.Table("accounts")
	return t != nil && t.ColumnIndex("name") >= 0 && t.ColumnIndex("type") >= 0 && db.Table("raw_contacts") == nil
}

// profileExtras are Mi Account user-data keys (artifacts.md §4.5) worth
// showing; tokens and anything secret-looking are never copied.
var profileExtras = map[string]string{
	"acc_user_name": "userName", "acc_nick_name": "nickname", "acc_user_email": "email", "acc_user_phone": "phone",
	"acc_user_region": "region", "acc_user_gender": "gender", "acc_udevid": "deviceId",
}

func secretKey(k string) bool {
	k = strings.ToLower(k)
	for _, w := range []string{"token", "password", "secret", "passtoken", "cookie", "security", "key", "ssecurity", "auth"} {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}

func (accountsDB) ExtractDB(ctx *artifacts.Context, f *container.File, db *sqlite.DB) error {
	t := db.Table("accounts")
	tokens := map[int64]int{}
	tokenTypes := map[int64][]string{}
	_ = eachRow(db, db.Table("authtokens"), func(_ int64, r row) {
		if id, ok := r.int("accounts_id"); ok {
			tokens[id]++
			if ty := r.str("type"); ty != "" {
				tokenTypes[id] = append(tokenTypes[id], ty)
			}
		}
	})
	extras := map[int64]map[string]string{}
	extraSecrets := map[int64]int{}
	_ = eachRow(db, db.Table("extras"), func(_ int64, r row) {
		id, ok := r.int("accounts_id")
		if !ok {
			return
		}
		k, v := r.str("key"), r.str("value")
		if name, ok := profileExtras[k]; ok && v != "" {
			if extras[id] == nil {
				extras[id] = map[string]string{}
			}
			extras[id][name] = v
		} else if secretKey(k) && v != "" {
			extraSecrets[id]++
		}
	})
	grants := map[int64]int{}
	_ = eachRow(db, db.Table("grants"), func(_ int64, r row) {
		if id, ok := r.int("accounts_id"); ok {
			grants[id]++
		}
	})
	de := t.ColumnIndex("previous_name") >= 0 || t.ColumnIndex("last_password_entry_time_millis_epoch") >= 0
	return eachRow(db, t, func(rowid int64, r row) {
		id := rowid
		if v, ok := r.int("_id"); ok {
			id = v
		}
		name, typ := r.str("name"), r.str("type")
		if name == "" && typ == "" {
			return
		}
		d := map[string]string{"kind": report.AccountKind(typ)}
		secret := false
		if r.str("password") != "" || r.blobLen("password") > 0 {
			d["password"] = "stored (not shown)"
			secret = true
		}
		if n := tokens[id]; n > 0 {
			d["authTokens"] = strconv.Itoa(n)
			types := tokenTypes[id]
			sort.Strings(types)
			if len(types) > 10 {
				types = types[:10]
			}
			d["authTokenTypes"] = strings.Join(types, ", ")
			secret = true
		}
		if n := extraSecrets[id]; n > 0 {
			d["secretUserData"] = strconv.Itoa(n)
			secret = true
		}
		if n := grants[id]; n > 0 {
			d["grants"] = strconv.Itoa(n)
		}
		if p := r.str("previous_name"); p != "" {
			d["previousName"] = p
		}
		for k, v := range extras[id] {
			d[k] = v
		}
		if de {
			d["database"] = "device-encrypted"
		} else {
			d["database"] = "credential-encrypted"
		}
		ctx.AddIdentifier(report.Identifier{Kind: report.IDAccount, Value: name, Valid: name != "", Label: typ, Details: d,
			Secret: secret, Source: artifacts.SourceRow(f, t.Name, rowid)})
		if ph := extras[id]["phone"]; ph != "" && !strings.Contains(ph, "*") {
			// The Mi Account's phone number is the owner's (a masked
			// value stays in the account details only).
			ctx.AddIdentifier(phoneID(ph, country(ctx), "account "+typ, artifacts.SourceRow(f, "extras", id), nil))
		}
	})
}

// accountsXML reads the sync registry /data/system/sync/accounts.xml:
// which account syncs which data type (artifacts.md §4.5).
type accountsXML struct{}

func (accountsXML) Name() string { return "identifiers/sync-accounts" }

func (accountsXML) Match(f *container.File) bool {
	return baseName(f) == "accounts.xml" && (f.Format == container.FormatABX || f.Format == container.FormatXML)
}

func (accountsXML) Extract(ctx *artifacts.Context, f *container.File, r io.Reader) error {
	data, err := io.ReadAll(io.LimitReader(r, abx.MaxXMLSize))
	if err != nil {
		return err
	}
	root, err := abx.ParseAny(data)
	if err != nil {
		return err
	}
	type key struct{ name, typ string }
	syncs := map[key][]string{}
	first := map[key]int64{}
	var order []key
	root.Walk(func(el *abx.Element, _ []*abx.Element) {
		if el.Name != "authority" {
			return
		}
		k := key{el.Get("account"), el.Get("type")}
		if k.name == "" {
			return
		}
		if _, ok := syncs[k]; !ok {
			order = append(order, k)
			first[k] = el.Offset
			syncs[k] = []string{}
		}
		if a := el.Get("authority"); a != "" && el.Get("enabled") != "false" && el.Get("syncable") != "false" && el.Get("syncable") != "0" {
			syncs[k] = append(syncs[k], a)
		}
	})
	for _, k := range order {
		s := syncs[k]
		sort.Strings(s)
		d := map[string]string{"kind": report.AccountKind(k.typ), "syncs": strings.Join(s, ", ")}
		ctx.AddIdentifier(report.Identifier{Kind: report.IDAccount, Value: k.name, Valid: true, Label: k.typ, Details: d,
			Source: artifacts.SourceOffset(f, first[k])})
	}
	return nil
}
