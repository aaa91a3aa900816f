package calls

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/backupinspector/backupinspector/parsers/artifacts"
	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/report"
)

func init() { artifacts.Register(callLogBackup{}) }

// callLogBackup reads the key-value records of the call-log backup agent
// (package com.android.calllogbackup, adb backup -keyvalue; formats.md §3.9):
// one record per call, key = call id, value = Java DataOutputStream data
// (CallLogBackupAgent, versions 1–1007). The agent leaves voicemail out.
type callLogBackup struct{}

func (callLogBackup) Name() string { return "calls/calllogbackup" }

// CallLogBackupPackage is the package of the call-log backup agent.
const CallLogBackupPackage = "com.android.calllogbackup"

func (callLogBackup) Match(f *container.File) bool {
	return f.Package == CallLogBackupPackage && strings.HasSuffix(f.Dir, ".data") && f.Size >= 0 && f.Size <= maxCallRecord
}

// maxCallRecord bounds one record (a few hundred bytes in practice).
const maxCallRecord = 1 << 20

func (callLogBackup) Extract(ctx *artifacts.Context, f *container.File, r io.Reader) error {
	if _, err := strconv.Atoi(f.Name); err != nil {
		return nil // not a call id: the agent's keys are decimal ids
	}
	data, err := io.ReadAll(io.LimitReader(r, maxCallRecord))
	if err != nil {
		return err
	}
	c, rec, err := ParseCallLogBackup(data)
	if err != nil {
		var pe *CallRecordError
		off := int64(-1)
		if errors.As(err, &pe) {
			off = pe.Offset
		}
		ctx.Problem(f, off, "corrupt", "call-log backup record %s: %v", f.Name, err)
		return nil
	}
	c.Source = f.Path
	ctx.AddCall(c)
	idsOf(ctx, f.Dir).account(rec.AccountID, f.Path)
	return nil
}

// CallRecord is a decoded call-log backup record, field by field.
type CallRecord struct {
	Version                   int32
	Date, Duration            int64
	Number                    *string
	Type, Presentation        int32
	AccountComponent          string
	AccountID                 string
	AccountAddress            string
	DataUsage                 int64
	Features                  int32
	OEMNamespace              string
	OEMData                   []byte
	AddForAllUsers            int32
	PostDialDigits, ViaNumber string
	BlockReason               int32
	ScreeningAppName          string
	ScreeningComponent        string
}

// CallRecordError is a malformed record, with the byte offset.
type CallRecordError struct {
	Offset int64
	Msg    string
}

func (e *CallRecordError) Error() string { return fmt.Sprintf("%s at byte offset %d", e.Msg, e.Offset) }

// endOEMMarker closes the OEM data block (CallLogBackupAgent).
const endOEMMarker = 0x0060061E

type javaData struct {
	b   []byte
	off int
	err error
}

func (d *javaData) fail(msg string) {
	if d.err == nil {
		d.err = &CallRecordError{Offset: int64(d.off), Msg: msg}
	}
}

func (d *javaData) need(n int, what string) bool {
	if d.err != nil {
		return false
	}
	if n < 0 || len(d.b)-d.off < n {
		d.fail("truncated " + what)
		return false
	}
	return true
}

func (d *javaData) i32(what string) int32 {
	if !d.need(4, what) {
		return 0
	}
	v := int32(binary.BigEndian.Uint32(d.b[d.off:]))
	d.off += 4
	return v
}

func (d *javaData) i64(what string) int64 {
	if !d.need(8, what) {
		return 0
	}
	v := int64(binary.BigEndian.Uint64(d.b[d.off:]))
	d.off += 8
	return v
}

func (d *javaData) boolean(what string) bool {
	if !d.need(1, what) {
		return false
	}
	v := d.b[d.off] != 0
	d.off++
	return v
}

// utf reads a DataOutputStream.writeUTF string: u16 length, modified UTF-8.
func (d *javaData) utf(what string) string {
	if !d.need(2, what) {
		return ""
	}
	n := int(binary.BigEndian.Uint16(d.b[d.off:]))
	d.off += 2
	if !d.need(n, what) {
		return ""
	}
	s := ModifiedUTF8(d.b[d.off : d.off+n])
	d.off += n
	return s
}

// optUTF reads the agent's optional string: a boolean, then writeUTF.
func (d *javaData) optUTF(what string) *string {
	if !d.boolean(what) {
		return nil
	}
	s := d.utf(what)
	return &s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// ParseCallLogBackup decodes one record value and maps it to a report.Call
// (without Source).
func ParseCallLogBackup(b []byte) (report.Call, CallRecord, error) {
	d := &javaData{b: b}
	var r CallRecord
	r.Version = d.i32("version")
	if d.err == nil && r.Version < 1 {
		d.fail(fmt.Sprintf("version %d", r.Version))
	}
	r.Date = d.i64("date")
	r.Duration = d.i64("duration")
	r.Number = d.optUTF("number")
	r.Type = d.i32("type")
	r.Presentation = d.i32("presentation")
	r.AccountComponent = deref(d.optUTF("phone account component"))
	r.AccountID = deref(d.optUTF("phone account id"))
	r.AccountAddress = deref(d.optUTF("phone account address"))
	r.DataUsage = d.i64("data usage")
	r.Features = d.i32("features")
	if r.Version >= 1002 {
		r.OEMNamespace = d.utf("OEM namespace")
		n := d.i32("OEM data length")
		if d.need(int(n), "OEM data") {
			r.OEMData = d.b[d.off : d.off+int(n)]
			d.off += int(n)
		}
		if m := d.i32("OEM end marker"); d.err == nil && m != endOEMMarker {
			d.off -= 4
			d.fail(fmt.Sprintf("OEM end marker %#x, want %#x", m, endOEMMarker))
		}
	}
	if r.Version >= 1003 {
		r.AddForAllUsers = d.i32("add-for-all-users")
	}
	if r.Version >= 1004 {
		r.PostDialDigits = deref(d.optUTF("post-dial digits"))
	}
	if r.Version >= 1005 {
		r.ViaNumber = deref(d.optUTF("via number"))
	}
	if r.Version >= 1006 {
		r.BlockReason = d.i32("block reason")
		r.ScreeningAppName = deref(d.optUTF("call screening app"))
		r.ScreeningComponent = deref(d.optUTF("call screening component"))
	}
	// 1007 adds five optional strings and an optional int that were never
	// filled; they are not needed.
	if d.err != nil {
		return report.Call{}, r, d.err
	}
	c := report.Call{
		Number:          deref(r.Number),
		Direction:       Direction(int64(r.Type)),
		DurationSeconds: r.Duration,
		PhoneAccount:    r.AccountID,
		Extra:           map[string]string{},
	}
	c.Time = callTime(r.Date, c.Extra)
	if c.Direction == report.CallOther {
		c.Extra["type"] = labelled(int64(r.Type), TypeLabel(int64(r.Type)))
	}
	if r.Features != 0 {
		c.Features = Features(int64(r.Features))
	}
	if r.Presentation != 1 && r.Presentation != 0 {
		c.Extra["presentation"] = labelled(int64(r.Presentation), presentation[int64(r.Presentation)])
	}
	for k, v := range map[string]string{"phone_account_address": r.AccountAddress, "subscription_component_name": r.AccountComponent,
		"via_number": r.ViaNumber, "call_screening_app_name": r.ScreeningAppName, "call_screening_component_name": r.ScreeningComponent} {
		if v != "" {
			c.Extra[k] = v
		}
	}
	if r.PostDialDigits != "" {
		c.Extra["post_dial_digits"] = strconv.Itoa(len(r.PostDialDigits)) + " characters (not shown)"
	}
	if r.BlockReason != 0 {
		c.Extra["block_reason"] = labelled(int64(r.BlockReason), blockReason[int64(r.BlockReason)])
	}
	if r.DataUsage != 0 {
		c.Extra["data_usage"] = strconv.FormatInt(r.DataUsage, 10)
	}
	if r.OEMNamespace != "" && r.OEMNamespace != "no-oem-namespace" {
		c.Extra["oem_namespace"] = r.OEMNamespace
		c.Extra["oem_data"] = strconv.Itoa(len(r.OEMData)) + " bytes"
	}
	c.Extra["backup_version"] = strconv.Itoa(int(r.Version))
	finish(&c)
	return c, r, nil
}

// ModifiedUTF8 decodes Java's modified UTF-8 (DataOutputStream.writeUTF):
// C0 80 is NUL, characters outside the BMP are two 3-byte surrogates.
// Invalid sequences become U+FFFD.
func ModifiedUTF8(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b))
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c < 0x80:
			sb.WriteByte(c)
			i++
		case c&0xE0 == 0xC0 && i+1 < len(b) && b[i+1]&0xC0 == 0x80:
			sb.WriteRune(rune(c&0x1F)<<6 | rune(b[i+1]&0x3F))
			i += 2
		case c&0xF0 == 0xE0 && i+2 < len(b) && b[i+1]&0xC0 == 0x80 && b[i+2]&0xC0 == 0x80:
			r := rune(c&0x0F)<<12 | rune(b[i+1]&0x3F)<<6 | rune(b[i+2]&0x3F)
			i += 3
			if r >= 0xD800 && r <= 0xDBFF && i+2 < len(b) && b[i] == 0xED && b[i+1]&0xF0 == 0xB0 && b[i+2]&0xC0 == 0x80 {
				lo := rune(b[i]&0x0F)<<12 | rune(b[i+1]&0x3F)<<6 | rune(b[i+2]&0x3F)
				r = 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00)
				i += 3
			} else if r >= 0xD800 && r <= 0xDFFF {
				r = utf8.RuneError
			}
			sb.WriteRune(r)
		default:
			sb.WriteRune(utf8.RuneError)
			i++
		}
	}
	return sb.String()
}
