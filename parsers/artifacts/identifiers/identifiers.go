// Package identifiers extracts values that identify the subscriber, the
// device and its accounts (artifacts.md §4): SIMs from telephony.db
// siminfo (ICCID, IMSI, own numbers, carrier, the history of every SIM
// ever inserted) and MIUI sim_cards, accounts (accounts_ce/de.db,
// accounts.xml), per-app and legacy Android IDs (settings_ssaid.xml and
// settings_secure.xml, text or ABX), saved Wi-Fi networks
// (WifiConfigStore.xml, the settings backup's <WifiBackupData>,
// wpa_supplicant-style text as in MIUI's Wi-Fi backup), Bluetooth
// adapter and pairings (bt_config.conf), and identifiers cached by apps in
// their shared preferences or text files (validated free-text scan,
// artifacts.md §4.10).
//
// Every value is validated with package idvalid and the result recorded in
// Identifier.Valid. Secrets — Wi-Fi passwords, Bluetooth link keys,
// account passwords and tokens — are never copied into the report: their
// presence sets Identifier.Secret and is counted.
package identifiers

import (
	"path"
	"strings"

	"github.com/backupinspector/backupinspector/parsers/artifacts"
	"github.com/backupinspector/backupinspector/parsers/artifacts/contacts"
	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/idvalid"
	"github.com/backupinspector/backupinspector/parsers/report"
)

func init() {
	artifacts.Register(siminfo{})
	artifacts.Register(simCards{})
	artifacts.Register(accountsDB{})
	artifacts.Register(accountsXML{})
	artifacts.Register(settingsFile{})
	artifacts.Register(wifiFile{})
	artifacts.Register(btConfig{})
	artifacts.Register(prefsFile{})
	artifacts.Register(miuiSettings{})
	artifacts.Register(settingsKV{})
}

// addCountry records a SIM country for phone-number normalisation.
func addCountry(ctx *artifacts.Context, iso string) {
	iso = strings.ToLower(strings.TrimSpace(iso))
	if iso == "" {
		return
	}
	v := ctx.State(contacts.StateCountries, func() any { return &[]string{} }).(*[]string)
	for _, x := range *v {
		if x == iso {
			return
		}
	}
	*v = append(*v, iso)
}

func country(ctx *artifacts.Context) string { return contacts.DefaultCountry(ctx) }

// packageOf returns the Android package a file belongs to: the backup's
// package, or the <pkg> of /data/data/<pkg>/, /data/user/<u>/<pkg>/ or
// /data/user_de/<u>/<pkg>/ in a dump.
func packageOf(f *container.File) string {
	if f.Package != "" {
		return f.Package
	}
	segs := strings.Split(strings.ReplaceAll(f.Path, "!", "/"), "/")
	for i := 0; i+1 < len(segs); i++ {
		switch segs[i] {
		case "data":
			if i+2 < len(segs) && segs[i+1] != "" && strings.Contains(segs[i+1], ".") && i > 0 && segs[i-1] == "data" {
				return segs[i+1]
			}
		case "user", "user_de":
			if i+2 < len(segs) && isNumber(segs[i+1]) && strings.Contains(segs[i+2], ".") {
				return segs[i+2]
			}
		}
	}
	return ""
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func baseName(f *container.File) string { return strings.ToLower(path.Base(f.Name)) }

// phoneID builds a phone-number identifier, normalised to E.164 when
// possible (Valid then), else kept as written.
func phoneID(number, iso, label, src string, details map[string]string) report.Identifier {
	id := report.Identifier{Kind: report.IDPhoneNumber, Label: label, Source: src, Details: details}
	if n, err := idvalid.E164(number, iso); err == nil {
		id.Value, id.Valid = n, true
		if n != number {
			if id.Details == nil {
				id.Details = map[string]string{}
			}
			id.Details["written"] = number
		}
	} else {
		id.Value = strings.TrimSpace(number)
	}
	return id
}

// fromFound turns a validated free-text/prefs finding into an identifier.
func fromFound(fd idvalid.Found, label, src string) report.Identifier {
	kind := fd.Kind
	switch kind {
	case "imei":
		kind = report.IDIMEI
	case "meid":
		kind = report.IDMEID
	case "imsi":
		kind = report.IDIMSI
	case "iccid":
		kind = report.IDICCID
	case "eid":
		kind = report.IDEID
	case "phone-number":
		kind = report.IDPhoneNumber
	case "android-id":
		kind = report.IDAndroidID
	case "advertising-id":
		kind = report.IDAdvertising
	case "mac-address":
		kind = report.IDMAC
	case "serial":
		kind = report.IDSerial
	}
	d := map[string]string{"confidence": fd.Confidence}
	if fd.Context != "" {
		d["key"] = fd.Context
	}
	return report.Identifier{Kind: kind, Value: fd.Value, Valid: fd.Confidence == idvalid.Confident, Label: label, Details: d, Source: src}
}
