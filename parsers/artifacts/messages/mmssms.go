// Package messages extracts SMS and MMS messages: from the telephony
// provider's mmssms.db (sms, pdu/addr/part, threads/canonical_addresses,
// MIUI extension columns), from the telephony provider's JSON backups inside
// adb backups, and from SMS Backup & Restore XML files. MIUI's own SMS/MMS
// payloads (com.android.mms _tmp_bak) have no public layout: they are kept
// visible as protobuf trees by the payloads module, not decoded here.
//
// Every message carries the links found in its body (package links) and its
// source (provenance path plus table and rowid, or item index).
package messages

import (
	"errors"
	"io"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/backupinspector/backupinspector/parsers/artifacts"
	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/report"
	"github.com/backupinspector/backupinspector/parsers/sqlite"
)

func init() {
	artifacts.Register(mmssms{})
	artifacts.Register(partFiles{})
}

// mmssms reads the telephony provider's database (artifacts.md §1).
type mmssms struct{}

func (mmssms) Name() string { return "messages/mmssms" }

func isSMSTable(t *sqlite.Table) bool {
	return t != nil && t.ColumnIndex("address") >= 0 && t.ColumnIndex("body") >= 0 && t.ColumnIndex("type") >= 0
}

func isPDUTable(t *sqlite.Table) bool {
	return t != nil && t.ColumnIndex("msg_box") >= 0 && t.ColumnIndex("date") >= 0
}

func (mmssms) MatchDB(f *container.File, db *sqlite.DB) bool {
	return isSMSTable(db.Table("sms")) || isPDUTable(db.Table("pdu"))
}

// thread is one row of threads with its participants resolved through
// canonical_addresses.
type thread struct {
	recipients []string
}

func (mmssms) ExtractDB(ctx *artifacts.Context, f *container.File, db *sqlite.DB) error {
	canon := readCanonical(db)
	threads := readThreads(db, canon)
	var errs []error
	var tables []*sqlite.Table
	if t := db.Table("sms"); isSMSTable(t) {
		tables = append(tables, t)
	}
	if t := db.Table("pdu"); isPDUTable(t) {
		tables = append(tables, t)
	}
	ctx.ReserveMessages(db, tables...)
	if t := db.Table("sms"); isSMSTable(t) {
		if err := extractSMS(ctx, f, db, t, threads); err != nil {
			errs = append(errs, err)
		}
	}
	if t := db.Table("pdu"); isPDUTable(t) {
		if err := extractMMS(ctx, f, db, t, threads); err != nil {
			errs = append(errs, err)
		}
	}
	if t := db.Table("raw"); t != nil && t.ColumnIndex("reference_number") >= 0 && t.ColumnIndex("pdu") >= 0 {
		if err := extractRaw(ctx, f, db, t); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// extractRaw reads the raw table: parts of multipart SMS the provider had
// not reassembled yet (artifacts.md §1.6). Their text may never have
// reached the sms table. Each row is reported as an incoming SMS fragment;
// the PDU itself (hex) is not decoded, only its size given.
func extractRaw(ctx *artifacts.Context, f *container.File, db *sqlite.DB, t *sqlite.Table) error {
	c := newCols(t)
	rows := db.Rows(t)
	for rows.Next() {
		row := rows.RowView()
		body, pdu := c.str(row, "message_body"), c.str(row, "pdu")
		if body == "" && pdu == "" {
			continue
		}
		m := report.Message{
			Kind:      "sms",
			Direction: report.DirIncoming,
			Address:   firstNonEmpty(c.str(row, "display_originating_addr"), c.str(row, "address")),
			Body:      body,
			Source:    artifacts.SourceRow(f, t.Name, c.rowID(row)),
			Extra:     map[string]string{},
		}
		date, _ := c.int(row, "date")
		m.Time = epochTime(date, Millis, m.Extra, "date")
		ref, _ := c.int(row, "reference_number")
		seq, _ := c.int(row, "sequence")
		count, _ := c.int(row, "count")
		m.Extra["fragment"] = "part " + strconv.FormatInt(seq, 10) + " of " + strconv.FormatInt(count, 10) + ", reference " + strconv.FormatInt(ref, 10) + " (not reassembled)"
		if pdu != "" {
			m.Extra["pdu"] = strconv.Itoa(len(pdu)/2) + " bytes (hex, not decoded)"
		}
		if sub, ok := c.int(row, "sub_id"); ok && sub >= 0 {
			m.SubID = &sub
		}
		if d, ok := c.int(row, "deleted"); ok && d != 0 {
			m.Deleted = true
		}
		finish(&m)
		if !ctx.AddMessage(m) {
			return nil // memory budget reached (a problem says so)
		}
	}
	return rows.Err()
}

func readCanonical(db *sqlite.DB) map[int64]string {
	t := db.Table("canonical_addresses")
	if t == nil || t.ColumnIndex("address") < 0 {
		return nil
	}
	c := newCols(t)
	out := map[int64]string{}
	rows := db.Rows(t)
	for rows.Next() {
		row := rows.RowView()
		out[c.rowID(row)] = c.str(row, "address")
	}
	return out
}

func readThreads(db *sqlite.DB, canon map[int64]string) map[int64]*thread {
	t := db.Table("threads")
	if t == nil || t.ColumnIndex("recipient_ids") < 0 {
		return nil
	}
	c := newCols(t)
	out := map[int64]*thread{}
	rows := db.Rows(t)
	for rows.Next() {
		row := rows.RowView()
		th := &thread{}
		for _, id := range strings.Fields(c.str(row, "recipient_ids")) {
			n, err := strconv.ParseInt(id, 10, 64)
			if err != nil {
				continue
			}
			if a, ok := canon[n]; ok && a != "" {
				th.recipients = append(th.recipients, a)
			}
		}
		out[c.rowID(row)] = th
	}
	return out
}

// setThread fills Thread and, for group conversations, Addresses. It
// reports whether the thread's participants are known.
func setThread(m *report.Message, c cols, row sqlite.Row, threads map[int64]*thread) bool {
	id, ok := c.int(row, "thread_id")
	if !ok {
		return false
	}
	m.Thread = strconv.FormatInt(id, 10)
	th := threads[id]
	if th == nil || len(th.recipients) == 0 {
		return false
	}
	if len(th.recipients) > 1 {
		m.Addresses = append([]string(nil), th.recipients...)
	}
	return true
}

func extractSMS(ctx *artifacts.Context, f *container.File, db *sqlite.DB, t *sqlite.Table, threads map[int64]*thread) error {
	c := newCols(t)
	rows := db.Rows(t)
	for rows.Next() {
		row := rows.RowView()
		m := smsFromRow(c, row, threads)
		m.Source = artifacts.SourceRow(f, t.Name, c.rowID(row))
		if !ctx.AddMessage(m) {
			return nil // memory budget reached (a problem says so)
		}
	}
	return rows.Err()
}

// smsFromRow maps a row of the sms table (live or recovered) to a message
// without its source.
func smsFromRow(c cols, row sqlite.Row, threads map[int64]*thread) report.Message {
	typ, _ := c.int(row, "type")
	m := report.Message{
		Kind:      "sms",
		Direction: SMSDirection(typ),
		Address:   c.str(row, "address"),
		Body:      c.str(row, "body"),
		Subject:   c.str(row, "subject"),
		Extra:     map[string]string{},
	}
	date, _ := c.int(row, "date")
	m.Time = epochTime(date, Millis, m.Extra, "date")
	if sent, ok := c.int(row, "date_sent"); ok && sent > 0 {
		m.SentTime = epochTime(sent, Millis, m.Extra, "date_sent")
	}
	if m.Direction == report.DirOther {
		m.Extra["type"] = strconv.FormatInt(typ, 10)
	}
	setThread(&m, c, row, threads)
	if rd, ok := c.int(row, "read"); ok {
		b := rd != 0
		m.Read = &b
	}
	if sub, ok := c.int(row, "sub_id"); ok && sub >= 0 {
		m.SubID = &sub
	}
	if d, ok := c.int(row, "deleted"); ok && d != 0 {
		m.Deleted = true
	}
	c.addExtras(row, aospSMSCols, m.Extra)
	c.addExtras(row, miuiMessageCols, m.Extra)
	finish(&m)
	return m
}

// ExtractRecovered maps sms rows recovered from the database's free space,
// free pages, WAL or journal to deleted messages.
func (mmssms) ExtractRecovered(ctx *artifacts.Context, f *container.File, db *sqlite.DB, t *sqlite.Table, rows []artifacts.RecoveredRow) error {
	if !isSMSTable(t) {
		return nil
	}
	c := newCols(t)
	threads := readThreads(db, readCanonical(db))
	for _, rr := range rows {
		m := smsFromRow(c, rr.Row, threads)
		m.Source = rr.Source
		m.Deleted = true
		if m.Extra == nil {
			m.Extra = map[string]string{}
		}
		m.Extra["recovered"] = artifacts.RecoveredNote(t, rr)
		if !ctx.AddMessage(m) {
			return nil // memory budget reached (a problem says so)
		}
	}
	return nil
}

// MMS address types (PduHeaders).
const (
	addrFrom = 137
	addrTo   = 151
	addrCc   = 130
	addrBcc  = 129
	// SelfToken is the From address of an MMS the phone sent.
	SelfToken = "insert-address-token"
)

type mmsAddr struct {
	address string
	typ     int64
}

type mmsPart struct {
	id, seq     int64
	ct, name    string
	fn, cl, cid string
	data, text  string
	hasText     bool
	charset     int64
}

func readAddrs(db *sqlite.DB) map[int64][]mmsAddr {
	t := db.Table("addr")
	if t == nil || t.ColumnIndex("msg_id") < 0 {
		return nil
	}
	c := newCols(t)
	out := map[int64][]mmsAddr{}
	rows := db.Rows(t)
	for rows.Next() {
		row := rows.RowView()
		id, ok := c.int(row, "msg_id")
		if !ok {
			continue
		}
		typ, _ := c.int(row, "type")
		out[id] = append(out[id], mmsAddr{address: c.str(row, "address"), typ: typ})
	}
	return out
}

func readParts(db *sqlite.DB) map[int64][]mmsPart {
	t := db.Table("part")
	if t == nil || t.ColumnIndex("mid") < 0 {
		return nil
	}
	c := newCols(t)
	out := map[int64][]mmsPart{}
	rows := db.Rows(t)
	for rows.Next() {
		row := rows.RowView()
		mid, ok := c.int(row, "mid")
		if !ok {
			continue
		}
		p := mmsPart{id: c.rowID(row), ct: strings.ToLower(strings.TrimSpace(c.str(row, "ct"))), name: c.str(row, "name"),
			fn: c.str(row, "fn"), cl: c.str(row, "cl"), cid: c.str(row, "cid"), data: c.str(row, "_data"), text: c.str(row, "text")}
		p.hasText = !c.val(row, "text").IsNull()
		p.seq, _ = c.int(row, "seq")
		p.charset, _ = c.int(row, "chset")
		out[mid] = append(out[mid], p)
	}
	for _, ps := range out {
		sort.SliceStable(ps, func(i, j int) bool {
			if ps[i].seq != ps[j].seq {
				return ps[i].seq < ps[j].seq
			}
			return ps[i].id < ps[j].id
		})
	}
	return out
}

func extractMMS(ctx *artifacts.Context, f *container.File, db *sqlite.DB, t *sqlite.Table, threads map[int64]*thread) error {
	addrs := readAddrs(db)
	parts := readParts(db)
	files := partIndex(ctx).forDB(f.Path)
	c := newCols(t)
	rows := db.Rows(t)
	for rows.Next() {
		row := rows.RowView()
		id := c.rowID(row)
		box, _ := c.int(row, "msg_box")
		m := report.Message{
			Kind:      "mms",
			Direction: SMSDirection(box),
			Subject:   c.str(row, "sub"),
			Source:    artifacts.SourceRow(f, t.Name, id),
			Extra:     map[string]string{},
		}
		date, _ := c.int(row, "date")
		ms, note := EpochMillis(date, Seconds)
		if note != "" {
			m.Extra["date_raw"], m.Extra["date_note"] = strconv.FormatInt(date, 10), note
		} else if part, ok := c.int(row, "date_ms_part"); ok && part > 0 && part < 1000 {
			ms += part // MIUI keeps the milliseconds beside the seconds
		}
		m.Time = report.UnixMilli(ms)
		if sent, ok := c.int(row, "date_sent"); ok && sent > 0 {
			m.SentTime = epochTime(sent, Seconds, m.Extra, "date_sent")
		}
		if m.Direction == report.DirOther {
			m.Extra["msg_box"] = strconv.FormatInt(box, 10)
		}
		known := setThread(&m, c, row, threads)
		if rd, ok := c.int(row, "read"); ok {
			b := rd != 0
			m.Read = &b
		}
		if sub, ok := c.int(row, "sub_id"); ok && sub >= 0 {
			m.SubID = &sub
		}
		if d, ok := c.int(row, "deleted"); ok && d != 0 {
			m.Deleted = true
		}
		mmsAddresses(&m, addrs[id], !known, "")
		mmsBody(&m, parts[id], files)
		c.addExtras(row, aospPDUCols, m.Extra)
		c.addExtras(row, miuiMessageCols, m.Extra)
		finish(&m)
		if !ctx.AddMessage(m) {
			return nil // memory budget reached (a problem says so)
		}
	}
	return rows.Err()
}

// mmsAddresses sets the counterpart: the sender of a received MMS, the
// first recipient of any other. With participants set, the participants
// other than this phone go to Addresses when there are several (used when
// no thread says who takes part).
func mmsAddresses(m *report.Message, as []mmsAddr, participants bool, self string) {
	var from, to string
	var all []string
	seen := map[string]bool{}
	for _, a := range as {
		if a.address == "" || a.address == SelfToken || a.address == self {
			continue
		}
		switch a.typ {
		case addrFrom:
			if from == "" {
				from = a.address
			}
		case addrTo, addrCc, addrBcc:
			if to == "" {
				to = a.address
			}
		}
		if !seen[a.address] {
			seen[a.address] = true
			all = append(all, a.address)
		}
	}
	if m.Direction == report.DirIncoming {
		m.Address = from
	} else {
		m.Address = to
	}
	if m.Address == "" && len(all) > 0 {
		m.Address = all[0]
	}
	if m.Address == "" && len(m.Addresses) > 0 {
		m.Address = m.Addresses[0]
	}
	if participants && len(m.Addresses) == 0 && len(all) > 1 {
		m.Addresses = all
	}
	if participants && m.Thread == "" && len(all) > 0 {
		m.Thread = threadKey(all)
	}
}

// mmsBody joins the text/plain parts (in seq order) into the body and
// lists every part other than text/plain and the SMIL layout as an
// attachment.
func mmsBody(m *report.Message, ps []mmsPart, files map[string]partFile) {
	var texts []string
	for _, p := range ps {
		switch {
		case p.ct == "text/plain":
			if p.text != "" {
				texts = append(texts, p.text)
			}
		case p.ct == "application/smil":
		default:
			a := report.Attachment{ContentType: p.ct, Name: firstNonEmpty(p.name, p.fn, p.cl, strings.Trim(p.cid, "<>"))}
			if p.data != "" {
				a.Path = p.data
				if pf, ok := files[partKey(p.data)]; ok {
					a.Present, a.Size, a.Path = true, pf.size, pf.path
				}
			} else if p.hasText {
				a.Present, a.Size = true, int64(len(p.text))
			}
			m.Attachments = append(m.Attachments, a)
		}
	}
	m.Body = strings.Join(texts, "\n")
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// partFiles records MMS part files (…/app_parts/PART_…) found anywhere in
// the inputs, so that attachments can say whether their data is present.
// Database modules run after every file was walked.
type partFiles struct{}

type partFile struct {
	path string
	size int64
}

const partsState = "messages/mms-part-files"

func (partFiles) Name() string { return "messages/mms-part-files" }

func (partFiles) Match(f *container.File) bool {
	return strings.HasSuffix(f.Dir, "/app_parts") || strings.HasSuffix(f.Dir, "!app_parts") || f.Dir == "app_parts"
}

func (partFiles) Extract(ctx *artifacts.Context, f *container.File, r io.Reader) error {
	size := f.Size
	if size < 0 {
		n, err := io.Copy(io.Discard, r)
		if err != nil {
			return err
		}
		size = n
	}
	idx := partIndex(ctx)
	key := "app_parts/" + f.Name
	idx[key] = append(idx[key], partFile{path: f.Path, size: size})
	return nil
}

// partFileIndex holds every part file found, by key: the same part can be
// in several inputs.
type partFileIndex map[string][]partFile

func partIndex(ctx *artifacts.Context) partFileIndex {
	return ctx.State(partsState, func() any { return partFileIndex{} }).(partFileIndex)
}

// forDB picks, for each key, the part file closest to the database at
// dbPath (the longest common path prefix: the same input and folder), and
// among equals the smallest path, so the choice does not depend on the
// order in which inputs were read.
func (idx partFileIndex) forDB(dbPath string) map[string]partFile {
	out := make(map[string]partFile, len(idx))
	for k, cands := range idx {
		best, bestN := partFile{}, -1
		for _, c := range cands {
			n := commonPrefix(c.path, dbPath)
			if n > bestN || n == bestN && c.path < best.path {
				best, bestN = c, n
			}
		}
		out[k] = best
	}
	return out
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// partKey maps a part._data path (/data/user_de/0/…/app_parts/PART_…) to
// the key of partIndex.
func partKey(data string) string {
	return "app_parts/" + path.Base(strings.ReplaceAll(data, "\\", "/"))
}
