package container

import (
	"bytes"
	"strconv"
	"unicode/utf8"

	"github.com/backupinspector/backupinspector/parsers/androidbackup"
	"github.com/backupinspector/backupinspector/parsers/miui"
)

// Format is a content type sniffed from the first bytes of a file.
type Format string

// Formats recognised by Sniff (formats.md §0).
const (
	FormatUnknown       Format = "unknown"
	FormatEmpty         Format = "empty"
	FormatZip           Format = "zip"
	FormatAPK           Format = "apk" // a zip holding an Android app (not walked into)
	FormatTar           Format = "tar"
	FormatGzip          Format = "gzip"
	FormatAndroidBackup Format = "android-backup"
	FormatMIUIBak       Format = "miui-bak"
	FormatKeyValue      Format = "key-value"
	FormatSQLite        Format = "sqlite"
	FormatSQLiteWAL     Format = "sqlite-wal"
	FormatSQLiteJournal Format = "sqlite-journal"
	FormatZlib          Format = "zlib"
	FormatMIUIDescript  Format = "miui-descript"
	FormatSMSXML        Format = "sms-xml"
	FormatCallsXML      Format = "calls-xml"
	FormatWifiConfigXML Format = "wifi-config-xml"
	FormatWifiBackupXML Format = "wifi-backup-xml"
	FormatXML           Format = "xml"
	FormatABX           Format = "abx"
	FormatVCard         Format = "vcard"
	FormatJSON          Format = "json"
	FormatText          Format = "text"
	sqliteMagic                = "SQLite format 3\x00"
	sqliteJournalMagic         = "\xd9\xd5\x05\xf9\x20\xa1\x63\xd7"
	abxMagic                   = "ABX\x00"
	gzipMagic                  = "\x1f\x8b\x08"
	zipLocalMagic              = "PK\x03\x04"
	zipEmptyMagic              = "PK\x05\x06"
	maxHead                    = 4096
	ustarOffset                = 257
	tarBlockSize               = 512
)

// Sniff tells the format of a file from its first bytes (up to 4096).
func Sniff(head []byte) Format {
	switch {
	case len(head) == 0:
		return FormatEmpty
	case bytes.HasPrefix(head, []byte(miui.Magic+"\n")):
		return FormatMIUIBak
	case bytes.HasPrefix(head, []byte(androidbackup.Magic+"\n")):
		return FormatAndroidBackup
	case bytes.HasPrefix(head, []byte(sqliteMagic)):
		return FormatSQLite
	case len(head) >= 4 && (bytes.HasPrefix(head, []byte{0x37, 0x7f, 0x06, 0x82}) || bytes.HasPrefix(head, []byte{0x37, 0x7f, 0x06, 0x83})) && len(head) >= 32:
		return FormatSQLiteWAL
	case bytes.HasPrefix(head, []byte(sqliteJournalMagic)):
		return FormatSQLiteJournal
	case bytes.HasPrefix(head, []byte(zipLocalMagic)):
		if bytes.Contains(head, []byte("AndroidManifest.xml")) || bytes.Contains(head, []byte("classes.dex")) {
			return FormatAPK
		}
		return FormatZip
	case bytes.HasPrefix(head, []byte(zipEmptyMagic)):
		return FormatZip
	case bytes.HasPrefix(head, []byte(gzipMagic)):
		return FormatGzip
	case bytes.HasPrefix(head, []byte(abxMagic)):
		return FormatABX
	case isTar(head):
		return FormatTar
	case androidbackup.IsKeyValue(head):
		return FormatKeyValue
	case isZlib(head):
		return FormatZlib
	}
	return sniffText(head)
}

func isZlib(h []byte) bool {
	if len(h) < 2 || h[0]&0x0f != 8 || h[0]>>4 > 7 {
		return false
	}
	if (uint16(h[0])<<8|uint16(h[1]))%31 != 0 {
		return false
	}
	return h[1]&0x20 == 0 // no preset dictionary
}

// isTar checks the ustar magic or, for old-style headers, the checksum.
func isTar(h []byte) bool {
	if len(h) < tarBlockSize {
		return false
	}
	if bytes.HasPrefix(h[ustarOffset:], []byte("ustar")) {
		return true
	}
	// v7 tar: name non-empty and the checksum matches.
	if h[0] == 0 {
		return false
	}
	field := bytes.Trim(h[148:156], " \x00")
	want, err := strconv.ParseInt(string(field), 8, 64)
	if err != nil || len(field) == 0 {
		return false
	}
	var sum int64
	for i, c := range h[:tarBlockSize] {
		if i >= 148 && i < 156 {
			c = ' '
		}
		sum += int64(c)
	}
	return sum == want
}

func sniffText(head []byte) Format {
	s := bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
	t := bytes.TrimLeft(s, " \t\r\n")
	if bytes.HasPrefix(t, []byte("BEGIN:VCARD")) || bytes.HasPrefix(bytes.ToUpper(t[:min(len(t), 11)]), []byte("BEGIN:VCARD")) {
		return FormatVCard
	}
	if bytes.HasPrefix(t, []byte("<")) {
		switch {
		case bytes.Contains(s, []byte("<MIUI-backup")):
			return FormatMIUIDescript
		case bytes.Contains(s, []byte("<smses")):
			return FormatSMSXML
		case bytes.Contains(s, []byte("<calls")):
			return FormatCallsXML
		case bytes.Contains(s, []byte("<WifiConfigStoreData")):
			return FormatWifiConfigXML
		case bytes.Contains(s, []byte("<WifiBackupData")):
			return FormatWifiBackupXML
		}
		if isText(s) {
			return FormatXML
		}
	}
	if len(t) > 0 && (t[0] == '{' || t[0] == '[') && isText(s) {
		return FormatJSON
	}
	if isText(s) {
		return FormatText
	}
	return FormatUnknown
}

// isText: valid UTF-8 (allowing a rune cut at the end), no NULs, few
// control characters.
func isText(b []byte) bool {
	ctl := 0
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c == 0 {
				return false
			}
			if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' {
				ctl++
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			if len(b)-i < utf8.UTFMax && !utf8.FullRune(b[i:]) {
				break
			}
			return false
		}
		i += n
	}
	return ctl*100 <= len(b)
}
