//go:build !js

package samples

import (
	"bytes"
	"compress/zlib"
	"crypto/ed25519"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"
	"time"
	"unicode/utf8"
)

// jsonString encodes s the way android.util.JsonWriter does: only quote,
// backslash, control characters and U+2028/U+2029 are escaped; '<', '>',
// '&' and non-ASCII stay literal.
func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range s {
		switch c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\f':
			b.WriteString(`\f`)
		case '\u2028', '\u2029':
			fmt.Fprintf(&b, `\u%04x`, c)
		default:
			if c < 0x20 {
				fmt.Fprintf(&b, `\u%04x`, c)
			} else if c == utf8.RuneError {
				b.WriteRune(c)
			} else {
				b.WriteRune(c)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// zlibBytes compresses b as java.util.zip.DeflaterOutputStream does by
// default (level 6, header 78 9C).
func zlibBytes(b []byte) []byte {
	var out bytes.Buffer
	w, _ := zlib.NewWriterLevel(&out, zlib.DefaultCompression)
	w.Write(b)
	w.Close()
	return out.Bytes()
}

// appManifest renders apps/<pkg>/_manifest (FullBackupUtils.writeAppManifest).
func appManifest(pkg string, versionCode int64, sdk int, installer string, withAPK bool, certs ...[]byte) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "1\n%s\n%d\n%d\n%s\n%d\n%d\n", pkg, versionCode, sdk, installer, boolInt2(withAPK), len(certs))
	for _, c := range certs {
		b.WriteString(hex.EncodeToString(c))
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

func boolInt2(b bool) int {
	if b {
		return 1
	}
	return 0
}

// signingCert returns a deterministic self-signed DER certificate (Ed25519,
// so the signature needs no randomness) with the given subject.
func signingCert(seed uint64, label string, subj pkix.Name, notBefore time.Time) []byte {
	r := NewRand(seed, "cert:"+label)
	priv := ed25519.NewKeyFromSeed(r.Bytes(32))
	tpl := &x509.Certificate{
		SerialNumber: new(big.Int).SetUint64(r.Uint64() >> 1),
		Subject:      subj,
		Issuer:       subj,
		NotBefore:    notBefore,
		NotAfter:     notBefore.AddDate(30, 0, 0),
	}
	der, err := x509.CreateCertificate(zeroReader{}, tpl, tpl, priv.Public(), priv)
	if err != nil {
		panic(err)
	}
	return der
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// platformCert is the OEM platform certificate that signs system apps.
func (p *Phone) platformCert() []byte {
	return signingCert(p.Seed, "platform", pkix.Name{Country: []string{"CN"}, Province: []string{"Beijing"}, Locality: []string{"Beijing"},
		Organization: []string{"Xiaomi"}, OrganizationalUnit: []string{"MIUI"}, CommonName: "MIUI Platform"},
		time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC))
}

// appCert is the developer certificate of pkg (system packages share the
// platform certificate).
func (p *Phone) appCert(pkg string) []byte {
	switch {
	case strings.HasPrefix(pkg, "com.xiaomi."), strings.HasPrefix(pkg, "com.miui."), strings.HasPrefix(pkg, "com.android.providers."),
		pkg == "com.android.settings", pkg == "com.android.contacts", pkg == "com.android.mms":
		return p.platformCert()
	}
	return signingCert(p.Seed, "app:"+pkg, pkix.Name{Country: []string{"US"}, Organization: []string{"Example Developer"}, CommonName: pkg},
		time.Date(2010, 6, 1, 0, 0, 0, 0, time.UTC))
}
