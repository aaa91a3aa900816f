package payloads

import (
	"bytes"
	"compress/zlib"
	"encoding/json"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
)

func zlibOf(b []byte) []byte {
	var buf bytes.Buffer
	w := zlib.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func TestDescribe(t *testing.T) {
	pbData := protowire.AppendTag(nil, 2, protowire.BytesType)
	inner := protowire.AppendTag(nil, 3, protowire.BytesType)
	inner = protowire.AppendString(inner, "+441234567890")
	pbData = protowire.AppendBytes(pbData, inner)
	tests := []struct {
		name       string
		data       []byte
		format     string
		contains   []string
		notContain []string
		note       string
	}{
		{"protobuf", pbData, FormatProtobuf, []string{`"value":"+441234567890"`}, nil, ""},
		{"json settings with a secret", []byte(`{"packageName":"com.android.settings","data":[{"key":"wifi_password","value":"hunter22"},{"key":"font_scale","value":"1.0"}],"authToken":"abc123"}`),
			FormatJSON, []string{`"value":"(hidden, 8 characters)"`, `"value":"1.0"`, `"authToken":"(hidden, 6 characters)"`}, []string{"hunter22", "abc123"}, ""},
		{"wpa_supplicant text", []byte("network={\n\tssid=\"Home\"\n\tpsk=\"correct-horse\"\n\tkey_mgmt=WPA-PSK\n\tsae_password=\"x y\"\n}\n"),
			FormatText, []string{`ssid=\"Home\"`, "psk=(hidden, 13 characters)", "sae_password=(hidden, 3 characters)"}, []string{"correct-horse"}, ""},
		{"shared_prefs xml", []byte(`<?xml version='1.0'?><map><string name="push_name">Maria</string><string name="password">s3cr3t</string><wep_key0>abc</wep_key0></map>`),
			FormatXML, []string{"Maria", "(hidden, 6 characters)"}, []string{"s3cr3t", ">abc<"}, ""},
		{"zlib json", zlibOf([]byte(`{"a":1}`)), FormatJSON, []string{`{"json":{"a":1}}`}, nil, "zlib-compressed, 7 bytes inflated"},
		{"binary", []byte{0xff, 0xfe, 0x00, 0x01, 0x87}, FormatHex, []string{`"hex":"fffe000187"`}, nil, ""},
		{"empty", nil, FormatHex, []string{`"hex":""`}, nil, "empty"},
		{"long text is cut", []byte(strings.Repeat("é", MaxText)), FormatText, []string{`"cut":true`}, nil, "shortened to its first 65536 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			format, tree, note := Describe(tt.data)
			if format != tt.format || note != tt.note {
				t.Errorf("format %s note %q, want %s %q", format, note, tt.format, tt.note)
			}
			if !json.Valid(tree) {
				t.Fatalf("invalid JSON tree: %s", tree)
			}
			s := string(tree)
			for _, want := range tt.contains {
				if !strings.Contains(s, want) {
					t.Errorf("tree lacks %s: %.300s", want, s)
				}
			}
			for _, bad := range tt.notContain {
				if strings.Contains(s, bad) {
					t.Errorf("tree shows %s: %.300s", bad, s)
				}
			}
		})
	}
}

func TestIsSecretKey(t *testing.T) {
	for key, want := range map[string]bool{
		"psk": true, "PreSharedKey": true, "wifiPassword": true, "wifi_password": true, "auth_token": true, "wep_key0": true,
		"sae_password": true, "private_key": true, "pin": true, "passphrase": true, "apiKey": true,
		"key": false, "key_mgmt": false, "ssid": false, "pinned": false, "spinner": false, "tokens_used": false, "value": false, "font_scale": false,
	} {
		if got := IsSecretKey(key); got != want {
			t.Errorf("IsSecretKey(%q) = %v, want %v", key, got, want)
		}
	}
}

func TestFeatureName(t *testing.T) {
	if FeatureName("com.android.contacts", 1) != "call log" || FeatureName("com.android.mms", 2) != "MMS" || FeatureName("x", -1) != "whole app" || FeatureName("x", 5) != "" {
		t.Error("FeatureName")
	}
}

func FuzzDescribe(f *testing.F) {
	f.Add([]byte(`{"a":"b"}`))
	f.Add([]byte("psk=\"x\"\n"))
	f.Add(zlibOf([]byte("<a password=\"x\"/>")))
	f.Add([]byte{0x12, 0x02, 0x08, 0x01})
	f.Fuzz(func(t *testing.T, b []byte) {
		format, tree, _ := Describe(b)
		if format == "" || !json.Valid(tree) {
			t.Fatalf("format %q tree %s", format, tree)
		}
	})
}
