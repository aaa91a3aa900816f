//go:build !js

package samples

import (
	"encoding/binary"
	"fmt"
	"strings"
)

// keyMgmtBits renders AllowedKeyMgmt as the hex of a Java BitSet.
func keyMgmtBits(k string) (string, int) {
	switch k {
	case "NONE":
		return "01", 1
	case "SAE":
		return "0001", 2
	}
	return "02", 1
}

// wifiXML renders either a WifiConfigStore.xml (store=true) or the
// <WifiBackupData> payload of the settings key-value backup.
func (p *Phone) wifiXML(store bool) string {
	var b strings.Builder
	ind := func(n int) string { return strings.Repeat("    ", n) }
	b.WriteString("<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n")
	base := 1
	if store {
		b.WriteString("<WifiConfigStoreData>\n")
		b.WriteString(ind(1) + "<int name=\"Version\" value=\"3\" />\n")
	} else {
		b.WriteString("<WifiBackupData>\n")
		b.WriteString(ind(1) + "<float name=\"Version\" value=\"1.1\" />\n")
	}
	b.WriteString(ind(base) + "<NetworkList>\n")
	for i, w := range p.Wifi {
		q := "&quot;" + xmlEsc(w.SSID) + "&quot;"
		km := "WPA_PSK"
		switch w.KeyMgmt {
		case "NONE":
			km = "NONE"
		case "SAE":
			km = "SAE"
		}
		bits, num := keyMgmtBits(w.KeyMgmt)
		b.WriteString(ind(base+1) + "<Network>\n")
		b.WriteString(ind(base+2) + "<WifiConfiguration>\n")
		l := func(s string) { b.WriteString(ind(base+3) + s + "\n") }
		l("<string name=\"ConfigKey\">" + q + km + "</string>")
		l("<string name=\"SSID\">" + q + "</string>")
		if store {
			l("<string name=\"BSSID\">" + w.BSSID + "</string>")
		} else {
			l("<null name=\"BSSID\" />")
		}
		if w.PSK != "" {
			l("<string name=\"PreSharedKey\">&quot;" + xmlEsc(w.PSK) + "&quot;</string>")
		} else {
			l("<null name=\"PreSharedKey\" />")
		}
		l("<null name=\"WEPKeys\" />")
		l("<int name=\"WEPTxKeyIndex\" value=\"0\" />")
		l(fmt.Sprintf("<boolean name=\"HiddenSSID\" value=\"%t\" />", w.Hidden))
		l("<boolean name=\"RequirePMF\" value=\"" + fmt.Sprint(w.KeyMgmt == "SAE") + "\" />")
		l(fmt.Sprintf("<byte-array name=\"AllowedKeyMgmt\" num=\"%d\">%s</byte-array>", num, bits))
		l("<byte-array name=\"AllowedProtocols\" num=\"1\">03</byte-array>")
		l("<byte-array name=\"AllowedAuthAlgos\" num=\"1\">01</byte-array>")
		l("<byte-array name=\"AllowedGroupCiphers\" num=\"1\">0f</byte-array>")
		l("<byte-array name=\"AllowedPairwiseCiphers\" num=\"1\">06</byte-array>")
		l("<boolean name=\"Shared\" value=\"true\" />")
		if store {
			l(fmt.Sprintf("<int name=\"Status\" value=\"%d\" />", 2))
			l("<null name=\"FQDN\" />")
			l("<null name=\"ProviderFriendlyName\" />")
			l(fmt.Sprintf("<string name=\"DefaultGwMacAddress\">%s</string>", w.GatewayMAC))
			l("<boolean name=\"ValidatedInternetAccess\" value=\"true\" />")
			l("<boolean name=\"NoInternetAccessExpected\" value=\"false\" />")
			l("<boolean name=\"MeteredHint\" value=\"false\" />")
			l("<int name=\"MeteredOverride\" value=\"0\" />")
			l("<boolean name=\"UseExternalScores\" value=\"false\" />")
			l(fmt.Sprintf("<int name=\"CreatorUid\" value=\"%d\" />", 1000))
			l("<string name=\"CreatorName\">android.uid.system:1000</string>")
			l(fmt.Sprintf("<int name=\"LastUpdateUid\" value=\"%d\" />", 1000))
			l("<string name=\"LastUpdateName\">android.uid.system:1000</string>")
			l(fmt.Sprintf("<string name=\"RandomizedMacAddress\">%s</string>", w.RandMAC))
			l("<int name=\"MacRandomizationSetting\" value=\"3\" />")
			l(fmt.Sprintf("<int name=\"Priority\" value=\"%d\" />", w.Priority))
			l("<boolean name=\"AutoJoinEnabled\" value=\"true\" />")
		}
		b.WriteString(ind(base+2) + "</WifiConfiguration>\n")
		if store {
			b.WriteString(ind(base+2) + "<NetworkStatus>\n")
			b.WriteString(ind(base+3) + "<string name=\"SelectionStatus\">NETWORK_SELECTION_ENABLED</string>\n")
			b.WriteString(ind(base+3) + "<string name=\"DisableReason\">NETWORK_SELECTION_ENABLE</string>\n")
			b.WriteString(ind(base+3) + "<null name=\"ConnectChoice\" />\n")
			b.WriteString(ind(base+3) + fmt.Sprintf("<boolean name=\"HasEverConnected\" value=\"%t\" />\n", i != 5))
			b.WriteString(ind(base+2) + "</NetworkStatus>\n")
		}
		b.WriteString(ind(base+2) + "<IpConfiguration>\n")
		b.WriteString(ind(base+3) + "<string name=\"IpAssignment\">DHCP</string>\n")
		b.WriteString(ind(base+3) + "<string name=\"ProxySettings\">NONE</string>\n")
		b.WriteString(ind(base+2) + "</IpConfiguration>\n")
		b.WriteString(ind(base+1) + "</Network>\n")
	}
	b.WriteString(ind(base) + "</NetworkList>\n")
	if store {
		b.WriteString(ind(1) + "<MacAddressMap>\n")
		b.WriteString(ind(2) + fmt.Sprintf("<map name=\"MacMapEntry\">\n"))
		for _, w := range p.Wifi {
			km := "WPA_PSK"
			if w.KeyMgmt == "NONE" || w.KeyMgmt == "SAE" {
				km = w.KeyMgmt
			}
			b.WriteString(ind(3) + "<string name=\"&quot;" + xmlEsc(w.SSID) + "&quot;" + km + "\">" + w.RandMAC + "</string>\n")
		}
		b.WriteString(ind(2) + "</map>\n")
		b.WriteString(ind(1) + "</MacAddressMap>\n")
		b.WriteString("</WifiConfigStoreData>\n")
	} else {
		b.WriteString("</WifiBackupData>\n")
	}
	return b.String()
}

func (p *Phone) wifiTruth() *TruthWifi {
	t := &TruthWifi{Networks: []TruthWifiNet{}}
	for _, w := range p.Wifi {
		t.Networks = append(t.Networks, TruthWifiNet{SSID: w.SSID, HasPassword: w.PSK != "", Hidden: w.Hidden})
		if w.PSK != "" {
			t.WithPassword++
		} else {
			t.WithoutPassword++
		}
	}
	return t
}

func (p *Phone) wifiSecrets() []string {
	var s []string
	for _, w := range p.Wifi {
		if w.PSK != "" {
			s = append(s, w.PSK)
		}
	}
	return s
}

// backupData renders a BackupDataOutput stream (libs/androidfw/BackupData.cpp).
func backupData(kv [][2][]byte) []byte {
	var b []byte
	le := binary.LittleEndian
	pad := func() {
		for len(b)%4 != 0 {
			b = append(b, 0)
		}
	}
	for _, e := range kv {
		var h [12]byte
		le.PutUint32(h[0:], 0x61746144)
		le.PutUint32(h[4:], uint32(len(e[0])))
		le.PutUint32(h[8:], uint32(len(e[1])))
		b = append(b, h[:]...)
		b = append(b, e[0]...)
		b = append(b, 0)
		pad()
		b = append(b, e[1]...)
		pad()
	}
	return b
}

// settingsBlob renders a settings table for the settings agent: repeated
// big-endian int32 length + key, int32 length + value.
func settingsBlob(kv [][2]string) []byte {
	var b []byte
	be := binary.BigEndian
	for _, e := range kv {
		b = be.AppendUint32(b, uint32(len(e[0])))
		b = append(b, e[0]...)
		b = be.AppendUint32(b, uint32(len(e[1])))
		b = append(b, e[1]...)
	}
	return b
}

// settingsKV is the key-value backup of com.android.providers.settings.
func (p *Phone) settingsKV() []byte {
	system := [][2]string{{"screen_brightness", "102"}, {"screen_off_timeout", "60000"}, {"font_scale", "1.0"}, {"haptic_feedback_enabled", "1"},
		{"ringtone", "content://media/internal/audio/media/54"}, {"time_12_24", "24"}}
	secure := [][2]string{{"default_input_method", "com.google.android.inputmethod.latin/com.android.inputmethod.latin.LatinIME"},
		{"location_mode", "3"}, {"accessibility_enabled", "0"}, {"lock_screen_show_notifications", "1"}}
	global := [][2]string{{"auto_time", "1"}, {"auto_time_zone", "1"}, {"wifi_wakeup_enabled", "1"}, {"mobile_data", "1"},
		{"device_name", p.h(p.Owner.Given+"'s "+p.Device.Marketing, 2)}}
	return backupData([][2][]byte{
		{[]byte("system"), settingsBlob(system)},
		{[]byte("secure"), settingsBlob(secure)},
		{[]byte("global"), settingsBlob(global)},
		{[]byte("locale"), []byte(p.Device.Locale)},
		{[]byte("wifi_new_config"), []byte(p.wifiXML(false))},
	})
}
