// Package contacts extracts address-book entries: from the contacts
// provider's contacts2.db (raw_contacts + data + mimetypes + accounts) and
// profile.db (the owner's own card), from vCard files, and from the MIUI
// contacts backup payload (com.android.contacts _tmp_bak, protobuf).
//
// Every contact lists the account it belongs to — where it syncs to — with
// the kind given by report.AccountKind (google, xiaomi, sim, local, app,
// other). Sources where the account is not recorded (vCard files, MIUI
// payloads) say so with an account of type "vcard" or "miui-backup" and
// kind "other".
package contacts

import (
	"strconv"
	"strings"

	"github.com/backupinspector/backupinspector/parsers/artifacts"
	"github.com/backupinspector/backupinspector/parsers/idvalid"
	"github.com/backupinspector/backupinspector/parsers/links"
	"github.com/backupinspector/backupinspector/parsers/report"
)

// StateCountries is the ctx.State key under which the identifiers module
// keeps the ISO countries of the SIMs it saw (a *[]string), used to
// normalise national phone numbers.
const StateCountries = "identifiers/sim-countries"

func init() {
	artifacts.Register(contactsDB{})
	artifacts.Register(vcardFile{})
	artifacts.Register(miuiContacts{})
	artifacts.Register(normaliser{})
}

// Android phone type codes (ContactsContract.CommonDataKinds.Phone.TYPE_*).
var phoneTypes = map[int]string{
	1: "home", 2: "mobile", 3: "work", 4: "work fax", 5: "home fax", 6: "pager", 7: "other", 8: "callback",
	9: "car", 10: "company main", 11: "ISDN", 12: "main", 13: "other fax", 14: "radio", 15: "telex",
	16: "TTY/TDD", 17: "work mobile", 18: "work pager", 19: "assistant", 20: "MMS",
}

// PhoneType names an Android phone type code; custom types (0) use their
// label.
func PhoneType(code int, label string) string {
	if code == 0 || phoneTypes[code] == "" {
		if label != "" {
			return label
		}
		if code == 0 {
			return "custom"
		}
		return "type " + strconv.Itoa(code)
	}
	return phoneTypes[code]
}

var imProtocols = map[int]string{
	-1: "IM", 0: "AIM", 1: "MSN", 2: "Yahoo", 3: "Skype", 4: "QQ", 5: "Google Talk", 6: "ICQ", 7: "Jabber", 8: "NetMeeting",
}

// IMProtocol names an Android IM protocol code.
func IMProtocol(code int, custom string) string {
	if code == -1 && custom != "" {
		return custom
	}
	if s, ok := imProtocols[code]; ok {
		return s
	}
	return "IM"
}

// normalise fills Phone.Normalized when the number is international, or
// national with a known country.
func normalise(number, country string) string {
	if n, err := idvalid.E164(number, country); err == nil {
		return n
	}
	return ""
}

// account builds a report.Account.
func account(typ, name string) report.Account {
	return report.Account{Type: typ, Name: name, Kind: report.AccountKind(typ)}
}

func appendNonEmpty(s []string, v string) []string {
	v = strings.TrimSpace(v)
	if v == "" {
		return s
	}
	return append(s, v)
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// normaliser is a Finisher that fills the E.164 form of phone numbers
// once the SIM countries are known (telephony.db may come after the
// contacts databases), and for numbers of every source.
type normaliser struct{}

func (normaliser) Name() string { return "contacts/normalise" }

// Finish implements artifacts.Finisher.
func (normaliser) Finish(ctx *artifacts.Context) error {
	country := DefaultCountry(ctx)
	for i := range ctx.Report.Contacts {
		c := &ctx.Report.Contacts[i]
		for j := range c.Phones {
			p := &c.Phones[j]
			if p.Normalized == "" {
				p.Normalized = normalise(p.Number, country)
			}
		}
		if c.Links == nil {
			c.Links = contactLinks(c)
		}
	}
	return nil
}

// contactLinks finds the links in a contact's notes, websites and other
// free-text fields, each once.
func contactLinks(c *report.Contact) []report.Link {
	var out []report.Link
	seen := map[string]bool{}
	for _, group := range [][]string{c.Websites, c.Notes, c.IMs, c.Organizations, c.Addresses} {
		for _, text := range group {
			for _, l := range links.Find(text) {
				if !seen[l.URL] {
					seen[l.URL] = true
					out = append(out, l)
				}
			}
		}
	}
	return out
}

// DefaultCountry returns the country used for national numbers: the first
// SIM country seen, else the country of the first own phone number found.
func DefaultCountry(ctx *artifacts.Context) string {
	if v, ok := ctx.State(StateCountries, func() any { return &[]string{} }).(*[]string); ok && len(*v) > 0 {
		return (*v)[0]
	}
	for _, id := range ctx.Report.Identifiers {
		if id.Kind == report.IDPhoneNumber && strings.HasPrefix(id.Value, "+") {
			if iso := idvalid.RegionOf(idvalid.CountryCodeOf(id.Value[1:])); iso != "" {
				return iso
			}
		}
	}
	return ""
}
