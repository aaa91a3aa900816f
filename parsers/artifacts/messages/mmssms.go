// Package messages extracts SMS and MMS messages: from the telephony
// provider's mmssms.db and from the telephony provider's JSON backups inside
// adb backups.
package messages

import (
	"github.com/backupinspector/backupinspector/parsers/artifacts"
	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/report"
	"github.com/backupinspector/backupinspector/parsers/sqlite"
)

func init() { artifacts.Register(mmssms{}) }

// mmssms reads the sms table of the telephony provider's database.
type mmssms struct{}

func (mmssms) Name() string { return "messages/mmssms" }

func (mmssms) MatchDB(f *container.File, db *sqlite.DB) bool {
	t := db.Table("sms")
	return t != nil && t.ColumnIndex("address") >= 0 && t.ColumnIndex("body") >= 0 && t.ColumnIndex("type") >= 0
}

// SMSDirection maps the sms.type box code to a report direction.
func SMSDirection(typ int64) string {
	switch typ {
	case 1:
		return report.DirIncoming
	case 2, 4, 6:
		return report.DirOutgoing
	case 3:
		return report.DirDraft
	case 5:
		return report.DirFailed
	}
	return report.DirOther
}

func (mmssms) ExtractDB(ctx *artifacts.Context, f *container.File, db *sqlite.DB) error {
	t := db.Table("sms")
	col := func(name string) int { return t.ColumnIndex(name) }
	cAddr, cBody, cType, cDate, cDateSent := col("address"), col("body"), col("type"), col("date"), col("date_sent")
	cThread, cRead, cSubject, cSub := col("thread_id"), col("read"), col("subject"), col("sub_id")
	rows := db.Rows(t)
	for rows.Next() {
		row := rows.Row()
		get := func(i int) sqlite.Value {
			if i < 0 || i >= len(row.Values) {
				return sqlite.Value{}
			}
			return row.Values[i]
		}
		typ, _ := get(cType).AsInt64()
		ms, _ := get(cDate).AsInt64()
		m := report.Message{
			Kind:      "sms",
			Direction: SMSDirection(typ),
			Address:   get(cAddr).String(),
			Body:      get(cBody).String(),
			Subject:   get(cSubject).String(),
			Time:      report.UnixMilli(ms),
			Source:    artifacts.SourceRow(f, t.Name, row.RowID),
		}
		if sent, ok := get(cDateSent).AsInt64(); ok && sent > 0 {
			m.SentTime = report.UnixMilli(sent)
		}
		if th, ok := get(cThread).AsInt64(); ok {
			m.Thread = itoa(th)
		}
		if rd, ok := get(cRead).AsInt64(); ok {
			b := rd != 0
			m.Read = &b
		}
		if sub, ok := get(cSub).AsInt64(); ok && sub >= 0 {
			m.SubID = &sub
		}
		ctx.AddMessage(m)
	}
	return rows.Err()
}
