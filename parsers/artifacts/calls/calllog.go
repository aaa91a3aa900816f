package calls

import (
	"slices"
	"strconv"
	"strings"

	"github.com/backupinspector/backupinspector/parsers/artifacts"
	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/report"
	"github.com/backupinspector/backupinspector/parsers/sqlite"
)

func init() { artifacts.Register(callLogDB{}) }

// callLogDB reads the calls table of calllog.db (Android 7+),
// calllog_shadow.db, and contacts2.db (Android ≤ 6), and Samsung's older
// logs table of logs.db, which uses the same codes (artifacts.md §3).
type callLogDB struct{}

func (callLogDB) Name() string { return "calls/calllog" }

func callTable(db *sqlite.DB) *sqlite.Table {
	for _, name := range []string{"calls", "logs"} {
		t := db.Table(name)
		if t != nil && t.ColumnIndex("number") >= 0 && t.ColumnIndex("date") >= 0 && t.ColumnIndex("type") >= 0 && t.ColumnIndex("duration") >= 0 {
			return t
		}
	}
	return nil
}

func (callLogDB) MatchDB(f *container.File, db *sqlite.DB) bool { return callTable(db) != nil }

// extra columns kept beside the main fields.
var callExtras = []extraCol{
	{name: "presentation", label: presentation, skip: []int64{1}},
	{name: "via_number"},
	{name: "phone_account_address"},
	{name: "subscription_component_name"},
	{name: "sub_id", keepZero: true, skip: []int64{-1}},
	{name: "data_usage"},
	{name: "new"},
	{name: "is_read", keepZero: true},
	{name: "numbertype"},
	{name: "numberlabel"},
	{name: "normalized_number"},
	{name: "block_reason", label: blockReason},
	{name: "call_screening_app_name"},
	{name: "call_screening_component_name"},
	{name: "missed_reason", labelFn: missedReason},
	{name: "transcription"},
	{name: "voicemail_uri"},
	{name: "_data"},
	{name: "mime_type"},
	{name: "source_package"},
	{name: "priority", label: map[int64]string{1: "urgent"}},
	{name: "subject"},
	{name: "location"},
	{name: "composer_photo_uri"},
	{name: "is_business_call"},
	{name: "asserted_display_name"},
	{name: "is_call_log_phone_account_migration_pending"},
	// MIUI (artifacts.md §3.7, code-read)
	{name: "firewalltype", label: firewallType},
	{name: "forwarded_call"},
	{name: "simid", keepZero: true, skip: []int64{-1}},
	{name: "phone_call_type", label: phoneCallType},
	{name: "missed_count"},
	{name: "number_type", label: numberType},
	{name: "cloud_antispam_type", label: antispamType},
	{name: "cloud_antispam_type_tag"},
	{name: "my_number"},
	{name: "contact_id"},
	{name: "source_id"},
}

func (callLogDB) ExtractDB(ctx *artifacts.Context, f *container.File, db *sqlite.DB) error {
	t := callTable(db)
	c := newCols(t)
	found := newIDs(ctx)
	ctx.ReserveCalls(db, t)
	rows := db.Rows(t)
	for rows.Next() {
		row := rows.RowView()
		src := artifacts.SourceRow(f, t.Name, c.rowID(row))
		call := callFromRow(c, row, src)
		acct := c.str(row, "subscription_id")
		found.account(acct, src)
		found.ownNumber(c.str(row, "phone_account_address"), call.CountryISO, "call log phone account address", src)
		found.ownNumber(c.str(row, "my_number"), call.CountryISO, "call log my_number (MIUI)", src)
		if !ctx.AddCall(call) {
			return nil // memory budget reached (a problem says so)
		}
	}
	return rows.Err()
}

// callFromRow maps a row of the calls table (live or recovered) to a call.
func callFromRow(c cols, row sqlite.Row, src string) report.Call {
	typ, _ := c.int(row, "type")
	call := report.Call{
		Number:     c.str(row, "number"),
		Direction:  Direction(typ),
		Name:       c.str(row, "name"),
		Location:   c.str(row, "geocoded_location"),
		CountryISO: c.str(row, "countryiso"),
		Source:     src,
		Extra:      map[string]string{},
	}
	date, _ := c.int(row, "date")
	call.Time = callTime(date, call.Extra)
	call.DurationSeconds, _ = c.int(row, "duration")
	if call.Direction == report.CallOther {
		call.Extra["type"] = labelled(typ, TypeLabel(typ))
	}
	call.PhoneAccount = c.str(row, "subscription_id")
	if feat, ok := c.int(row, "features"); ok && feat != 0 {
		call.Features = Features(feat)
	}
	if pd := c.str(row, "post_dial_digits"); pd != "" {
		// Post-dial digits are often PINs or extensions: counted, not shown.
		call.Extra["post_dial_digits"] = strconv.Itoa(len(pd)) + " characters (not shown)"
	}
	for _, name := range []string{"deleted", "mark_deleted"} {
		if d, ok := c.int(row, name); ok && d != 0 {
			call.Deleted = true
		}
	}
	c.addExtras(row, callExtras, call.Extra)
	finish(&call)
	return call
}

// ExtractRecovered maps calls rows recovered from the database's free
// space, free pages, WAL or journal to deleted calls.
func (callLogDB) ExtractRecovered(ctx *artifacts.Context, f *container.File, db *sqlite.DB, t *sqlite.Table, rows []artifacts.RecoveredRow) error {
	if ct := callTable(db); ct == nil || !strings.EqualFold(ct.Name, t.Name) {
		return nil
	}
	c := newCols(t)
	for _, rr := range rows {
		call := callFromRow(c, rr.Row, rr.Source)
		call.Deleted = true
		if call.Extra == nil {
			call.Extra = map[string]string{}
		}
		call.Extra["recovered"] = artifacts.RecoveredNote(t, rr)
		if !ctx.AddCall(call) {
			return nil // memory budget reached (a problem says so)
		}
	}
	return nil
}

func labelled(v int64, label string) string {
	s := strconv.FormatInt(v, 10)
	if label != "" {
		s += " (" + label + ")"
	}
	return s
}

// cols reads named columns of one table's rows.
type cols struct {
	idx map[string]int
}

func newCols(t *sqlite.Table) cols {
	c := cols{idx: map[string]int{}}
	for i, col := range t.Columns {
		c.idx[strings.ToLower(col.Name)] = i
	}
	return c
}

func (c cols) has(name string) bool { _, ok := c.idx[name]; return ok }

func (c cols) val(row sqlite.Row, name string) sqlite.Value {
	i, ok := c.idx[name]
	if !ok || i >= len(row.Values) {
		return sqlite.Value{}
	}
	return row.Values[i]
}

func (c cols) str(row sqlite.Row, name string) string {
	v := c.val(row, name)
	switch v.Kind {
	case sqlite.Null:
		return ""
	case sqlite.Blob:
		return strings.ToValidUTF8(string(v.Bytes), "\uFFFD")
	}
	return v.String()
}

func (c cols) int(row sqlite.Row, name string) (int64, bool) { return c.val(row, name).AsInt64() }

func (c cols) rowID(row sqlite.Row) int64 {
	if row.HasRowID {
		return row.RowID
	}
	id, _ := c.int(row, "_id")
	return id
}

type extraCol struct {
	name     string
	keepZero bool
	skip     []int64
	label    map[int64]string
	labelFn  func(int64) string
}

func (c cols) addExtras(row sqlite.Row, list []extraCol, extra map[string]string) {
	for _, e := range list {
		if !c.has(e.name) {
			continue
		}
		v := c.val(row, e.name)
		switch v.Kind {
		case sqlite.Null:
			continue
		case sqlite.Integer:
			if v.Int == 0 && !e.keepZero || slices.Contains(e.skip, v.Int) {
				continue
			}
			l := e.label[v.Int]
			if l == "" && e.labelFn != nil {
				l = e.labelFn(v.Int)
			}
			extra[e.name] = labelled(v.Int, l)
		case sqlite.Blob:
			extra[e.name] = "blob, " + strconv.Itoa(len(v.Bytes)) + " bytes"
		default:
			if s := c.str(row, e.name); s != "" && (s != "0" || e.keepZero) {
				extra[e.name] = s
			}
		}
	}
}
