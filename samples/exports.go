//go:build !js

package samples

import (
	"os"
	"path/filepath"
)

func genSMSBR(p *Phone, o Options) (*Truth, error) {
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return nil, err
	}
	stamp := p.localTime(p.BackupTime).Format("20060102150405")
	smsName, callsName := "sms-"+stamp+".xml", "calls-"+stamp+".xml"
	if err := os.WriteFile(filepath.Join(o.Out, smsName), []byte(p.smsBRXML(live)), 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(o.Out, callsName), []byte(p.callsBRXML()), 0o644); err != nil {
		return nil, err
	}
	t := &Truth{File: filepath.Base(o.Out) + "/" + smsName, Companions: []string{filepath.Base(o.Out) + "/" + callsName}}
	t.Messages = countMessages(p.Messages, live)
	t.Messages.Blocked = 0
	t.Examples.Messages = exampleMessages(p.Messages, live)
	t.Calls = countCalls(p.Calls)
	t.Examples.Calls = exampleCalls(p.Calls)
	ids := emptyIdentifiers()
	var iccids []string
	for _, c := range p.Calls {
		if !c.Removed && (p.Device.SDK < 33 || c.SIM.Slot < 0) {
			iccids = append(iccids, c.SIM.ICCID)
		}
	}
	ids.ICCIDs = sortedUnique(iccids)
	t.Identifiers = ids
	t.Notes = append(t.Notes,
		"characters outside the BMP (emoji) are written as two numeric references to UTF-16 surrogates (&#55357;&#56832;), as SMS Backup & Restore does; 'null' literals mean absent",
		"MMS dates are in ms in this format; MMS binary parts are base64 in part/@data; group MMS address is the participants joined by '~'",
		"iccids: calls/@subscription_id values that are ICCIDs (Android <= 12, or the old SIM)")
	return t, nil
}

func genVCard(p *Phone, o Options) (*Truth, error) {
	v21 := o.Variant == "21"
	s, cs := p.vcardFile(v21)
	if err := os.WriteFile(o.Out, []byte(s), 0o644); err != nil {
		return nil, err
	}
	t := &Truth{}
	t.Contacts = &ContactCounts{Total: len(cs)}
	for _, c := range cs {
		t.Contacts.Phones += len(c.Phones)
		t.Contacts.Emails += len(c.Emails)
	}
	ex := []*Contact{cs[0], cs[len(cs)-1]}
	for _, c := range cs {
		if !isPlainASCII(c.Display) && c != cs[len(cs)-1] {
			ex[0] = c
			break
		}
	}
	for _, c := range ex {
		tc := truthContact(c)
		tc.AccountType, tc.AccountName = "", ""
		t.Examples.Contacts = append(t.Examples.Contacts, tc)
	}
	t.Identifiers = emptyIdentifiers()
	note := "vCard 3.0 cards (CRLF, folded at 75 octets, PHOTO base64 on some), the last two cards vCard 2.1 with CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE (every byte =XX, soft breaks)"
	if v21 {
		note = "all cards vCard 2.1 with quoted-printable for non-ASCII values"
	}
	t.Notes = append(t.Notes, note, "phones are as typed (national or E.164); a vCard carries no account")
	if p.Hostile {
		t.Notes = append(t.Notes, "hostile: PHOTO;VALUE=uri:https://… remote photos and URL:javascript: links")
	}
	return t, nil
}
