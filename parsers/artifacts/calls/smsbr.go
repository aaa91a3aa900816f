package calls

import (
	"bytes"
	"errors"
	"io"
	"strconv"

	"github.com/backupinspector/backupinspector/parsers/artifacts"
	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/report"
	"github.com/backupinspector/backupinspector/parsers/smsbr"
)

func init() { artifacts.Register(smsBRCalls{}) }

// smsBRCalls reads SMS Backup & Restore call-log files (root <calls>) and
// SuperBackup call logs (root <alllogs>).
type smsBRCalls struct{}

func (smsBRCalls) Name() string { return "calls/sms-backup-restore" }

func (smsBRCalls) Match(f *container.File) bool {
	return f.Format == container.FormatCallsXML ||
		f.Format == container.FormatXML && (bytes.Contains(f.Head, []byte("<calls")) || bytes.Contains(f.Head, []byte("<alllogs")))
}

// brCallMapped are attributes that become Call fields or are display helpers.
var brCallMapped = map[string]bool{
	"number": true, "duration": true, "date": true, "type": true, "contact_name": true, "readable_date": true,
	"subscription_id": true, "post_dial_digits": true, "features": true, "name": true, "dur": true, "time": true,
	"countryiso": true, "geocoded_location": true, "deleted": true,
}

func (smsBRCalls) Extract(ctx *artifacts.Context, f *container.File, r io.Reader) error {
	rd, err := smsbr.NewReader(r)
	if err != nil {
		if errors.Is(err, smsbr.ErrNotBackup) {
			return nil
		}
		return err
	}
	if root := rd.Header().Root; root != smsbr.RootCalls && root != smsbr.RootLogs {
		return nil
	}
	found := newIDs(ctx)
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var se *smsbr.SyntaxError
			if errors.As(err, &se) {
				ctx.Problem(f, se.Offset, "truncated", "call log XML: %v (records before it were read)", se.Err)
				return nil
			}
			return err
		}
		if rec.Kind != smsbr.KindCall && rec.Kind != smsbr.KindLog {
			continue
		}
		src := artifacts.SourceItem(f, rec.Kind, rec.Index)
		typ, _ := rec.Int("type")
		c := report.Call{
			Number:     rec.Get("number"),
			Direction:  Direction(typ),
			Location:   rec.Get("geocoded_location"),
			CountryISO: rec.Get("countryiso"),
			Source:     src,
			Extra:      map[string]string{},
		}
		c.Name = rec.Get("contact_name")
		if rec.Kind == smsbr.KindLog {
			c.Name = rec.Get("name")
		}
		if c.Name == "(Unknown)" {
			c.Name = ""
		}
		date, _ := rec.Int("date")
		c.Time = callTime(date, c.Extra)
		dur, ok := rec.Int("duration")
		if !ok {
			dur, _ = rec.Int("dur")
		}
		c.DurationSeconds = dur
		if c.Direction == report.CallOther {
			c.Extra["type"] = labelled(typ, TypeLabel(typ))
		}
		c.PhoneAccount = rec.Get("subscription_id")
		if feat, ok := rec.Int("features"); ok && feat != 0 {
			c.Features = Features(feat)
		}
		if pd := rec.Get("post_dial_digits"); pd != "" {
			c.Extra["post_dial_digits"] = strconv.Itoa(len(pd)) + " characters (not shown)"
		}
		if d, ok := rec.Int("deleted"); ok && d != 0 {
			c.Deleted = true
		}
		for k, v := range rec.Attr {
			if brCallMapped[k] || v == "" {
				continue
			}
			if k == "presentation" {
				if p, ok := rec.Int(k); ok && p != 1 {
					v = labelled(p, presentation[p])
				} else {
					continue
				}
			}
			c.Extra[k] = v
		}
		found.account(c.PhoneAccount, src)
		finish(&c)
		if !ctx.AddCall(c) {
			return nil // memory budget reached (a problem says so)
		}
	}
}
