package identifiers

import (
	"strconv"
	"strings"

	"github.com/backupinspector/backupinspector/parsers/artifacts"
	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/idvalid"
	"github.com/backupinspector/backupinspector/parsers/report"
	"github.com/backupinspector/backupinspector/parsers/sqlite"
)

type row struct {
	t    *sqlite.Table
	vals []sqlite.Value
}

func (r row) str(col string) string {
	i := r.t.ColumnIndex(col)
	if i < 0 || i >= len(r.vals) || r.vals[i].IsNull() || r.vals[i].Kind == sqlite.Blob {
		return ""
	}
	return strings.TrimSpace(r.vals[i].String())
}

func (r row) int(col string) (int64, bool) {
	i := r.t.ColumnIndex(col)
	if i < 0 || i >= len(r.vals) {
		return 0, false
	}
	return r.vals[i].AsInt64()
}

func (r row) blobLen(col string) int {
	i := r.t.ColumnIndex(col)
	if i < 0 || i >= len(r.vals) || r.vals[i].IsNull() {
		return 0
	}
	return len(r.vals[i].Bytes)
}

func eachRow(db *sqlite.DB, t *sqlite.Table, fn func(rowid int64, r row)) error {
	if t == nil {
		return nil
	}
	rows := db.Rows(t)
	for rows.Next() {
		rr := rows.Row()
		fn(rr.RowID, row{t: t, vals: rr.Values})
	}
	return rows.Err()
}

// siminfo reads telephony.db table siminfo: one row per SIM or eSIM
// profile ever seen (artifacts.md §4.2).
type siminfo struct{}

func (siminfo) Name() string { return "identifiers/siminfo" }

func (siminfo) MatchDB(f *container.File, db *sqlite.DB) bool {
	t := db.Table("siminfo")
	return t != nil && t.ColumnIndex("icc_id") >= 0
}

func (siminfo) ExtractDB(ctx *artifacts.Context, f *container.File, db *sqlite.DB) error {
	t := db.Table("siminfo")
	type sim struct {
		rowid int64
		r     row
	}
	var sims []sim
	if err := eachRow(db, t, func(rowid int64, r row) {
		vals := make([]sqlite.Value, len(r.vals))
		for i, v := range r.vals {
			vals[i] = v.Clone()
		}
		sims = append(sims, sim{rowid, row{t: t, vals: vals}})
		addCountry(ctx, r.str("iso_country_code"))
	}); err != nil {
		return err
	}
	for _, s := range sims {
		r := s.r
		src := artifacts.SourceRow(f, t.Name, s.rowid)
		iso := strings.ToLower(r.str("iso_country_code"))
		mcc, mnc := r.str("mcc_string"), r.str("mnc_string")
		if mcc == "" {
			if v, ok := r.int("mcc"); ok && v > 0 {
				mcc = strconv.FormatInt(v, 10)
			}
		}
		d := map[string]string{}
		put := func(k, v string) {
			if v != "" {
				d[k] = v
			}
		}
		put("subId", strconv.FormatInt(s.rowid, 10))
		put("carrier", r.str("carrier_name"))
		put("displayName", r.str("display_name"))
		put("mcc", mcc)
		put("mnc", mnc)
		put("country", iso)
		slot, hasSlot := r.int("sim_id")
		label := "SIM"
		if hasSlot {
			if slot < 0 {
				label = "SIM (not inserted)"
				put("slot", "removed")
			} else {
				label = "SIM slot " + strconv.FormatInt(slot+1, 10)
				put("slot", strconv.FormatInt(slot, 10))
			}
		}
		if e, _ := r.int("is_embedded"); e != 0 {
			put("embedded", "true")
		}
		cp := func() map[string]string {
			m := make(map[string]string, len(d))
			for k, v := range d {
				m[k] = v
			}
			return m
		}
		remote := false
		if st, _ := r.int("subscription_type"); st == 1 {
			remote = true
		}
		iccid := r.str("icc_id")
		switch {
		case iccid == "":
		case remote:
			// A remote-SIM subscription holds the Bluetooth MAC of the
			// phone it belongs to.
			mac, err := idvalid.MAC(iccid)
			ctx.AddIdentifier(report.Identifier{Kind: report.IDMAC, Value: mac, Valid: err == nil, Label: "remote SIM device (Bluetooth)", Details: cp(), Source: src + "/icc_id"})
		default:
			v, err := idvalid.ICCID(iccid)
			ctx.AddIdentifier(report.Identifier{Kind: report.IDICCID, Value: v, Valid: err == nil, Label: label, Details: cp(), Source: src + "/icc_id"})
		}
		if card := r.str("card_id"); card != "" && card != iccid {
			if v, err := idvalid.EID(card); err == nil {
				ctx.AddIdentifier(report.Identifier{Kind: report.IDEID, Value: v, Valid: true, Label: label, Details: cp(), Source: src + "/card_id"})
			} else if v, err := idvalid.ICCID(card); err == nil {
				ctx.AddIdentifier(report.Identifier{Kind: report.IDICCID, Value: v, Valid: true, Label: label, Details: cp(), Source: src + "/card_id"})
			}
		}
		if imsi := r.str("imsi"); imsi != "" {
			v, info, err := idvalid.IMSI(imsi)
			valid := err == nil
			if valid && mcc != "" && mnc != "" && !idvalid.IMSIMatchesHome(v, mcc, mnc) {
				valid = false
			}
			dd := cp()
			if info.MCC != "" {
				dd["imsiMcc"], dd["imsiMnc"] = info.MCC, info.MNC
			}
			ctx.AddIdentifier(report.Identifier{Kind: report.IDIMSI, Value: v, Valid: valid, Label: label, Details: dd, Source: src + "/imsi"})
		}
		seen := map[string]bool{}
		for _, col := range []string{"number", "phone_number_source_carrier", "phone_number_source_ims"} {
			n := r.str(col)
			if n == "" {
				continue
			}
			id := phoneID(n, iso, label, src+"/"+col, cp())
			if seen[id.Value] {
				continue
			}
			seen[id.Value] = true
			ctx.AddIdentifier(id)
		}
	}
	return nil
}

// simCards reads MIUI's per-SIM record (ExtraTelephony "sim-cards":
// imsi, number, bind_id, sync_enabled; artifacts.md §1.9, code-read) when
// a table of that shape exists.
type simCards struct{}

func (simCards) Name() string { return "identifiers/miui-sim-cards" }

func simCardsTable(db *sqlite.DB) *sqlite.Table {
	for _, name := range []string{"sim_cards", "sim-cards", "simcards"} {
		if t := db.Table(name); t != nil && t.ColumnIndex("imsi") >= 0 {
			return t
		}
	}
	return nil
}

func (simCards) MatchDB(f *container.File, db *sqlite.DB) bool { return simCardsTable(db) != nil }

func (simCards) ExtractDB(ctx *artifacts.Context, f *container.File, db *sqlite.DB) error {
	t := simCardsTable(db)
	iso := country(ctx)
	return eachRow(db, t, func(rowid int64, r row) {
		src := artifacts.SourceRow(f, t.Name, rowid)
		d := map[string]string{"from": "MIUI sim-cards"}
		if s, ok := r.int("sync_enabled"); ok {
			d["cloudSync"] = strconv.FormatBool(s != 0)
		}
		if imsi := r.str("imsi"); imsi != "" {
			v, _, err := idvalid.IMSI(imsi)
			ctx.AddIdentifier(report.Identifier{Kind: report.IDIMSI, Value: v, Valid: err == nil, Label: "MIUI SIM record", Details: d, Source: src + "/imsi"})
		}
		if n := r.str("number"); n != "" {
			ctx.AddIdentifier(phoneID(n, iso, "MIUI SIM record", src+"/number", d))
		}
	})
}
