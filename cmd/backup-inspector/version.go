package main

import "github.com/backupinspector/backupinspector/parsers/report"

func versionString() string {
	return report.GeneratorName + " " + report.Version
}
