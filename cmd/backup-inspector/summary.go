package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode"

	"github.com/backupinspector/backupinspector/parsers/report"
)

// writeSummary prints a readable summary of rep, the exposure first. Every
// string that comes from the inputs goes through clean, so a hostile backup
// cannot send control sequences to the terminal.
func writeSummary(w io.Writer, rep *report.Report) {
	e := rep.Exposure
	p := func(format string, a ...any) { fmt.Fprintf(w, format, a...) }
	p("%s %s — all times UTC\n\n", rep.Generator.Name, rep.Generator.Version)

	p("WHAT THESE INPUTS EXPOSE\n")
	p("(led by what MIUI Cloud Messaging was found sending off phones in 2014: IMEI, IMSI, phone number, contacts, received SMS)\n")
	vals := func(label string, v report.ExposedValues) {
		p("  %-20s %d", label, v.Count)
		if v.Count > 0 {
			var s []string
			for _, x := range v.Values {
				item := clean(x.Value)
				if !x.Valid {
					item += " (not valid)"
				}
				s = append(s, item)
			}
			p("  %s", strings.Join(s, ", "))
		}
		p("\n")
	}
	vals("Own phone numbers", e.OwnNumbers)
	vals("IMSI", e.IMSIs)
	vals("ICCID", e.ICCIDs)
	vals("IMEI", e.IMEIs)
	c := e.Contacts
	p("  %-20s %d entries, %d people", "Contacts", c.Entries, c.People)
	if c.Entries > 0 {
		p("; %d would sync to Xiaomi, %d to Google", c.ToXiaomi, c.ToGoogle)
		var parts []string
		for _, a := range c.ByAccount {
			name := a.Type
			if a.Name != "" {
				name += " " + a.Name
			}
			parts = append(parts, fmt.Sprintf("%s: %d", clean(name), a.Count))
		}
		p("\n  %-20s %s", "", strings.Join(parts, ", "))
	}
	p("\n")
	p("  %-20s %d from %d correspondents", "Received SMS", e.ReceivedSMS.Count, e.ReceivedSMS.Correspondents)
	if e.ReceivedSMS.First != nil {
		p(", %s to %s", e.ReceivedSMS.First, e.ReceivedSMS.Last)
	}
	p("\n")
	switch {
	case e.NumberWithIMSIAndIMEI:
		p("  ! Own phone number, IMSI and IMEI are all present — the 2014 combination.\n")
	case e.NumberWithIMSI:
		p("  ! Own phone number and IMSI are both present.\n")
	}
	for _, f := range e.Together.SameFile {
		p("    together in %s\n", clean(f))
	}
	if len(e.SIMs) > 0 {
		p("\nSIM CARDS (%d ever seen)\n", len(e.SIMs))
		for _, s := range e.SIMs {
			p("  slot %-8s ICCID %-22s IMSI %-16s %s %s %s\n", clean(s.Slot), clean(s.ICCID), clean(s.IMSI),
				clean(strings.Join(s.Numbers, ",")), clean(s.Carrier), clean(s.Country))
		}
	}

	d := e.Device
	p("\nDEVICE\n")
	p("  %s %s %s  ROM %s  SDK %d", clean(d.Brand), clean(d.Model), clean(d.Codename), clean(d.ROM), d.AndroidSDK)
	if d.BackupTime != nil {
		p("  backup made %s", d.BackupTime)
	}
	p("\n  Android IDs %d, advertising IDs %d", d.AndroidIDs, d.AdvertisingIDs)
	if len(d.Serials) > 0 {
		p(", serial %s", clean(strings.Join(d.Serials, ", ")))
	}
	if d.OwnerProfile {
		p(", owner's own contact card present")
	}
	p("\n")
	if len(e.Accounts) > 0 {
		p("\nACCOUNTS\n")
		for _, a := range e.Accounts {
			cred := ""
			if a.Credentials {
				cred = " (stored credentials: counted, not shown)"
			}
			p("  %-8s %-28s %s%s\n", a.Kind, clean(a.Type), clean(a.Name), cred)
		}
	}

	m := e.Messages
	p("\nRECORDS\n")
	p("  Messages     %d (SMS %d, MMS %d", len(rep.Messages), m.SMS, m.MMS)
	if m.Chat > 0 {
		p(", chat %d", m.Chat)
	}
	p("; received %d, sent %d, drafts %d, failed %d; %d conversations; %d with links)\n", m.Received, m.Sent, m.Drafts, m.Failed, m.Conversations, m.WithLinks)
	p("  Calls        %d", len(rep.Calls))
	if len(e.Calls.ByDirection) > 0 {
		var keys []string
		for k := range e.Calls.ByDirection {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var parts []string
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%s %d", k, e.Calls.ByDirection[k]))
		}
		p(" (%s; talk time %s)", strings.Join(parts, ", "), duration(e.Calls.TalkSeconds))
	}
	p("\n  Contacts     %d\n  Identifiers  %d\n  Apps         %d\n", len(rep.Contacts), len(rep.Identifiers), len(rep.Apps))
	p("  Wi-Fi        %d networks (%d with a saved password: counted, never shown)\n", e.Wifi.Networks, e.Wifi.WithPassword)
	p("  Bluetooth    %d paired devices\n", e.Bluetooth.Devices)
	if dl := e.Deleted; dl.Messages+dl.Contacts+dl.Calls+dl.Records > 0 {
		p("  Deleted but still present: %d messages, %d contacts, %d calls, %d recovered database records\n", dl.Messages, dl.Contacts, dl.Calls, dl.Records)
	}

	p("\nINPUTS\n")
	for _, in := range rep.Inputs {
		p("  %s  %s  %d bytes", clean(in.Name), in.Format, in.Size)
		if in.SHA256 != "" {
			p("  sha256 %s", in.SHA256)
		}
		p("\n")
	}
	var notParsed []report.CoverageItem
	for _, ci := range e.Coverage {
		if ci.Status != "parsed" {
			notParsed = append(notParsed, ci)
		}
	}
	if len(notParsed) > 0 {
		p("\nCOVERAGE — not (fully) read\n")
		for _, ci := range notParsed {
			p("  %-14s %s", ci.Status, clean(ci.Path))
			if ci.Note != "" {
				p(": %s", clean(ci.Note))
			}
			p("\n")
		}
	}
	if len(rep.Problems) > 0 {
		p("\nPROBLEMS (%d)\n", len(rep.Problems))
		for _, pr := range rep.Problems {
			where := pr.Path
			if where == "" {
				where = pr.Input
			}
			if pr.Offset != nil {
				where += fmt.Sprintf(" at offset %d", *pr.Offset)
			}
			kind := "problem"
			if pr.Warning {
				kind = "note"
			}
			p("  %s: %s: %s (%s)\n", kind, clean(where), clean(pr.Message), pr.Code)
		}
	}
	p("\n")
	for _, l := range e.Limits {
		p("Note: %s\n", clean(l))
	}
	p("Use --json for every record with its source.\n")
}

func duration(s int64) string {
	return fmt.Sprintf("%dh%02dm%02ds", s/3600, s/60%60, s%60)
}

// clean makes text from an input safe to print on a terminal: control
// characters (escape sequences, bidi overrides) become visible marks.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case unicode.IsControl(r), r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200E, r == 0x200F:
			return '\uFFFD'
		}
		return r
	}, s)
}

func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(clean(s)), " ")
	r := []rune(s)
	if len(r) > max {
		return string(r[:max-1]) + "…"
	}
	return s
}
