package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/backupinspector/backupinspector/parsers/report"
)

// writeSummary prints a readable summary of rep, the exposure first.
func writeSummary(w io.Writer, rep *report.Report) {
	e := rep.Exposure
	fmt.Fprintf(w, "%s %s\n\n", rep.Generator.Name, rep.Generator.Version)
	fmt.Fprintln(w, "WHAT THIS BACKUP EXPOSES (the data MIUI Cloud Messaging was found sending in 2014)")
	vals := func(label string, v report.ExposedValues) {
		fmt.Fprintf(w, "  %-22s %d", label, v.Count)
		if v.Count > 0 {
			var s []string
			for _, x := range v.Values {
				s = append(s, x.Value)
			}
			fmt.Fprintf(w, "  (%s)", strings.Join(s, ", "))
		}
		fmt.Fprintln(w)
	}
	vals("Own phone numbers:", e.OwnNumbers)
	vals("IMSI:", e.IMSIs)
	vals("ICCID:", e.ICCIDs)
	vals("IMEI:", e.IMEIs)
	fmt.Fprintf(w, "  %-22s %d entries, %d people", "Contacts:", e.Contacts.Entries, e.Contacts.People)
	if e.Contacts.Entries > 0 {
		fmt.Fprintf(w, " (%d sync to Xiaomi, %d to Google)", e.Contacts.ToXiaomi, e.Contacts.ToGoogle)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "  %-22s %d from %d correspondents", "Received SMS:", e.ReceivedSMS.Count, e.ReceivedSMS.Correspondents)
	if e.ReceivedSMS.First != nil {
		fmt.Fprintf(w, ", %s to %s (UTC)", e.ReceivedSMS.First, e.ReceivedSMS.Last)
	}
	fmt.Fprintln(w)
	if e.NumberWithIMSIAndIMEI {
		fmt.Fprintln(w, "  ! Phone number, IMSI and IMEI appear together.")
	} else if e.NumberWithIMSI {
		fmt.Fprintln(w, "  ! Phone number and IMSI appear together.")
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Messages: %d   Contacts: %d   Calls: %d   Identifiers: %d   Problems: %d\n",
		len(rep.Messages), len(rep.Contacts), len(rep.Calls), len(rep.Identifiers), len(rep.Problems))
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Inputs:")
	for _, in := range rep.Inputs {
		fmt.Fprintf(w, "  %s  %s  %d bytes  sha256 %s\n", in.Name, in.Format, in.Size, in.SHA256)
	}
	if len(rep.Messages) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Messages (times in UTC):")
		for _, m := range rep.Messages {
			t := "(no time)"
			if m.Time != nil {
				t = m.Time.String()
			}
			fmt.Fprintf(w, "  %s  %-3s %-8s %-16s %s\n", t, m.Kind, m.Direction, m.Address, oneLine(m.Body, 80))
		}
	}
	if len(rep.Problems) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Problems:")
		for _, p := range rep.Problems {
			where := p.Path
			if where == "" {
				where = p.Input
			}
			if p.Offset != nil {
				where += fmt.Sprintf(" at offset %d", *p.Offset)
			}
			fmt.Fprintf(w, "  %s: %s (%s)\n", where, p.Message, p.Code)
		}
	}
	fmt.Fprintln(w)
	for _, l := range e.Limits {
		fmt.Fprintln(w, "Note:", l)
	}
}

func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) > max {
		return string(r[:max-1]) + "…"
	}
	return s
}
