// Package tracker embeds the first-party browser tracker (tracker.js) and the fixture shop
// that `make collect-local` serves with it.
package tracker

import (
	"embed"
	"io/fs"
)

// Script is tracker.js, served as /tracker.js.
//
//go:embed tracker.js
var Script []byte

//go:embed fixture
var fixture embed.FS

// Fixture is the shop site: index.html, products/, checkout/ (clean URLs map to .html files).
var Fixture, _ = fs.Sub(fixture, "fixture")
