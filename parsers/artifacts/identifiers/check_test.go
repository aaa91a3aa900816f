package identifiers_test

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/artifacts/identifiers/idtest"
	"github.com/backupinspector/backupinspector/parsers/report"
)

func eqList(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !reflect.DeepEqual(idtest.Sorted(got), idtest.Sorted(want)) {
		t.Errorf("%s = %q, want %q", what, idtest.Sorted(got), idtest.Sorted(want))
	}
}

// checkIdentifiers compares the report's identifiers with a sample's
// truth: every list exactly (valid values), Wi-Fi and Bluetooth per
// entry, and that no secret appears anywhere in the encoded report.
func checkIdentifiers(t *testing.T, rep *report.Report, tr *idtest.Truth, full bool) {
	t.Helper()
	ids := tr.Identifiers
	eqList(t, "IMEIs", idtest.Values(rep, report.IDIMEI, true), ids.IMEIs)
	eqList(t, "IMSIs", idtest.Values(rep, report.IDIMSI, true), ids.IMSIs)
	eqList(t, "ICCIDs", idtest.Values(rep, report.IDICCID, true), ids.ICCIDs)
	eqList(t, "own numbers", idtest.Values(rep, report.IDPhoneNumber, true), ids.OwnNumbers)
	var aids []string
	for _, id := range rep.Identifiers {
		if id.Kind == report.IDAndroidID && id.Valid && !id.Secret {
			aids = append(aids, id.Value)
		}
	}
	eqList(t, "android ids", dedupe(aids), ids.AndroidIDs)
	if ids.Serial != "" {
		eqList(t, "serial", idtest.Values(rep, report.IDSerial, true), []string{ids.Serial})
	}
	// Accounts: distinct type/name pairs (the owner profile's e-mail is
	// an extra identifier of the owner, not an account).
	var accs, want []string
	for _, id := range rep.Identifiers {
		if id.Kind == report.IDAccount && id.Label != "email" {
			accs = append(accs, id.Label+" "+id.Value)
		}
	}
	for _, a := range ids.Accounts {
		want = append(want, a.Type+" "+a.Name)
	}
	eqList(t, "accounts", dedupe(accs), want)
	for _, id := range rep.Identifiers {
		if id.Kind == report.IDAccount && id.Label == "com.google" && strings.Contains(id.Source, "accounts_ce") && !id.Secret {
			t.Errorf("Google account in accounts_ce.db has a token but Secret is false: %+v", id)
		}
	}
	if w := ids.Wifi; w != nil {
		type net struct{ pw, hidden bool }
		got := map[string]net{}
		for _, id := range rep.Identifiers {
			if id.Kind == report.IDWifi {
				n := got[id.Value]
				n.pw = n.pw || id.Secret
				n.hidden = n.hidden || id.Details["hidden"] == "true"
				got[id.Value] = n
			}
		}
		if len(got) != len(w.Networks) {
			t.Errorf("wifi networks: %d, want %d (%v)", len(got), len(w.Networks), got)
		}
		for _, n := range w.Networks {
			g, ok := got[n.SSID]
			if !ok || g.pw != n.HasPassword || g.hidden != n.Hidden {
				t.Errorf("wifi %q: got %+v (found %v), want password=%v hidden=%v", n.SSID, g, ok, n.HasPassword, n.Hidden)
			}
		}
		if rep.Exposure.Wifi.WithPassword != w.WithPassword || rep.Exposure.Wifi.Networks != len(w.Networks) {
			t.Errorf("exposure wifi %+v, want %d with password of %d", rep.Exposure.Wifi, w.WithPassword, len(w.Networks))
		}
	}
	if b := ids.Bluetooth; b != nil {
		if rep.Exposure.Bluetooth.AdapterName != b.AdapterName || rep.Exposure.Bluetooth.AdapterAddress != b.AdapterAddress {
			t.Errorf("bluetooth adapter %q %q, want %q %q", rep.Exposure.Bluetooth.AdapterName, rep.Exposure.Bluetooth.AdapterAddress, b.AdapterName, b.AdapterAddress)
		}
		var got, want []string
		for _, id := range rep.Identifiers {
			if id.Kind == report.IDBluetooth {
				got = append(got, id.Value+" "+id.Details["name"])
				if !id.Secret {
					t.Errorf("paired device without its link key counted: %+v", id)
				}
			}
		}
		for _, d := range b.Devices {
			want = append(want, d.Address+" "+d.Name)
		}
		eqList(t, "bluetooth devices", got, want)
	}
	b, err := report.Encode(rep)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range tr.Secrets {
		if strings.Contains(string(b), s) {
			t.Errorf("secret %q appears in the report", s)
		}
	}
	// Exposure mirrors the identifiers.
	if rep.Exposure.IMEIs.Confirmed != len(ids.IMEIs) || rep.Exposure.IMSIs.Confirmed != len(ids.IMSIs) ||
		rep.Exposure.ICCIDs.Confirmed != len(ids.ICCIDs) || rep.Exposure.OwnNumbers.Confirmed != len(ids.OwnNumbers) {
		t.Errorf("exposure counts imei %d imsi %d iccid %d numbers %d; truth %d %d %d %d", rep.Exposure.IMEIs.Confirmed,
			rep.Exposure.IMSIs.Confirmed, rep.Exposure.ICCIDs.Confirmed, rep.Exposure.OwnNumbers.Confirmed,
			len(ids.IMEIs), len(ids.IMSIs), len(ids.ICCIDs), len(ids.OwnNumbers))
	}
	wantFlag := len(ids.OwnNumbers) > 0 && len(ids.IMSIs) > 0
	if rep.Exposure.NumberWithIMSI != wantFlag || rep.Exposure.NumberWithIMSIAndIMEI != (wantFlag && len(ids.IMEIs) > 0) {
		t.Errorf("together flags %v %v", rep.Exposure.NumberWithIMSI, rep.Exposure.NumberWithIMSIAndIMEI)
	}
	_ = full
}

func dedupe(s []string) []string {
	m := map[string]bool{}
	var out []string
	for _, x := range s {
		if !m[x] {
			m[x] = true
			out = append(out, x)
		}
	}
	sort.Strings(out)
	return out
}

func TestMIUISmallSample(t *testing.T) {
	p := "../../../samples/small/miui/20240914_161418"
	tr := idtest.LoadTruth(t, "../../../samples/small/miui")
	rep := idtest.Run(t, "", p)
	checkIdentifiers(t, rep, tr, false)
	if len(rep.Exposure.SIMs) != 0 {
		t.Errorf("MIUI set has no SIM records: %+v", rep.Exposure.SIMs)
	}
}

func TestTelephonyABSmallSample(t *testing.T) {
	p := "../../../samples/small/telephony.ab"
	tr := idtest.LoadTruth(t, p)
	rep := idtest.Run(t, "", p)
	checkIdentifiers(t, rep, tr, false)
	// The settings key-value backup's global table holds the device name.
	if d := rep.Exposure.Device.DeviceNames; len(d) != 1 || !strings.HasSuffix(d[0], "POCO F3") {
		t.Errorf("device names %q", d)
	}
}
