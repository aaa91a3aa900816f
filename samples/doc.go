// Package samples generates deterministic, realistic synthetic phone
// backups (loose AOSP databases, adb .ab files, MIUI backup sets,
// full-filesystem dumps, SMS Backup & Restore XML and vCard) together with
// ground-truth files that state exactly what a correct reader must find.
//
// The same seed always gives the same bytes. Everything is synthetic: names,
// numbers (valid format, fictional ranges where they exist), IMEIs and
// ICCIDs (valid Luhn digits), IMSIs (real MCC/MNC, random MSIN).
//
// The generator is native-only (modernc.org/sqlite does not build for
// js/wasm): every file except this one carries a !js build constraint.
// See README.md for the kinds, flags and the truth schema.
package samples
