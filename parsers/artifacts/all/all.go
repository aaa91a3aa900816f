// Package all registers every artifact module. Import it for its side effect.
package all

import (
	_ "github.com/backupinspector/backupinspector/parsers/artifacts/apps"
	_ "github.com/backupinspector/backupinspector/parsers/artifacts/calls"
	_ "github.com/backupinspector/backupinspector/parsers/artifacts/contacts"
	_ "github.com/backupinspector/backupinspector/parsers/artifacts/device"
	_ "github.com/backupinspector/backupinspector/parsers/artifacts/identifiers"
	_ "github.com/backupinspector/backupinspector/parsers/artifacts/messages"
	_ "github.com/backupinspector/backupinspector/parsers/artifacts/payloads"
)
