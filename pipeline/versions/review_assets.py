"""The inline style and script of the review page (kept apart so `review.py` stays about content).

The page must open with no network: everything is inline, and its Content-Security-Policy
forbids loading anything at all.
"""

CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
       "img-src data:; base-uri 'none'; form-action 'none'")

# One colour per field family, as displaCy does per label; unknown fields get the default.
FIELD_COLOURS = {
    "name": "#c7e9c0", "acronym": "#a1d99b", "alias": "#d9f0d3", "founded": "#fdd0a2",
    "headquarters": "#c6dbef", "secretariat": "#deebf7", "membership": "#fcbba1",
    "founding_members": "#fee0d2", "host_relationship": "#dadaeb", "agreement": "#bcbddc",
    "website": "#f2f0f7",
}
DEFAULT_COLOUR = "#e5e5e5"

CSS = """
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, sans-serif; margin: 0; background: #f6f6f4; color: #222; }
header.page { position: sticky; top: 0; z-index: 5; background: #fff; border-bottom: 1px solid #ccc;
  padding: .6em 1.2em; }
header.page h1 { font-size: 1.2em; margin: 0 0 .3em; }
.controls label { margin-right: 1.2em; }
main { padding: 1em 1.2em; max-width: 76em; }
.card { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: .8em 1em; margin: 0 0 1em; }
.card[hidden], tr[hidden] { display: none; }
.card h2 { font-size: 1.05em; margin: 0; display: inline; }
.card code { color: #666; font-size: .85em; margin-left: .6em; }
.badge { display: inline-block; font-size: .75em; padding: 0 .5em; border-radius: 1em; margin-left: .4em;
  background: #eee; }
.badge.added { background: #c7e9c0; } .badge.removed { background: #fcbba1; }
.badge.changed { background: #fdd0a2; } .badge.flag { background: #fee391; }
.badge.override { background: #9ecae1; }
.entry { white-space: pre-wrap; line-height: 2.1; margin: .6em 0; padding: .4em .6em;
  border-left: 3px solid #ddd; }
mark.v { padding: .15em .25em; border-radius: .3em; background: var(--c, #e5e5e5); }
mark.v mark.v { box-shadow: 0 0 0 1px #999 inset; }
mark.v.override { outline: 2px dashed #3182bd; }
mark.v.dim { background: transparent; }
mark.v.dim > .tag { display: none; }
.tag { font-size: .7em; font-weight: bold; margin-left: .35em; color: #333; white-space: nowrap; }
ul.flags { margin: .3em 0; padding-left: 1.2em; color: #8a5300; }
table { border-collapse: collapse; width: 100%; font-size: .9em; margin: .4em 0; }
th, td { border: 1px solid #e2e2e2; padding: .25em .45em; vertical-align: top; text-align: left; }
td.old { background: #fff5f0; } td.new { background: #f7fcf5; }
.evidence { color: #555; font-style: italic; }
.where { color: #888; font-size: .8em; }
details > summary { cursor: pointer; color: #555; }
"""

JS = """
(function () {
  var changed = document.getElementById('only-changed');
  var flagged = document.getElementById('only-flagged');
  var field = document.getElementById('field');
  function apply() {
    var f = field.value, shown = 0;
    document.querySelectorAll('article.card').forEach(function (card) {
      var fields = card.getAttribute('data-fields').split(' ');
      var show = (!changed.checked || card.getAttribute('data-status') !== 'same') &&
                 (!flagged.checked || card.getAttribute('data-flagged') === '1') &&
                 (!f || fields.indexOf(f) >= 0);
      card.hidden = !show;
      if (show) { shown += 1; }
    });
    document.querySelectorAll('mark.v').forEach(function (mark) {
      mark.classList.toggle('dim', !!f && mark.getAttribute('data-field') !== f);
    });
    document.getElementById('shown').textContent = String(shown);
  }
  [changed, flagged, field].forEach(function (el) { el.addEventListener('change', apply); });
  apply();
})();
"""
