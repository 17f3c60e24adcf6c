/** The console's one stylesheet, served at `assets/console.css` (CSP `style-src 'self'`). */
export const STYLESHEET = `
:root {
  --ink: #1d2330; --muted: #5d6675; --line: #dfe3ea; --bg: #f6f7f9; --card: #fff;
  --accent: #2449b8; --focus: #1a56db;
  --ok: #146c3a; --ok-bg: #e3f4e9; --warn: #8a5300; --warn-bg: #fdf1dc;
  --bad: #a3232f; --bad-bg: #fbe5e7; --info: #244a8f; --info-bg: #e4ecfa; --dim-bg: #eceef2;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 15px; line-height: 1.45; color: var(--ink); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, summary:focus-visible {
  outline: 3px solid var(--focus); outline-offset: 2px;
}
.skip { position: absolute; left: -999px; top: 0; background: var(--card); padding: .5rem 1rem; }
.skip:focus { left: 1rem; }
header.top { background: #151b28; color: #fff; }
header.top .bar { max-width: 76rem; margin: 0 auto; padding: .75rem 1.5rem; display: flex; gap: 2rem; align-items: center; }
header.top .brand { font-weight: 650; letter-spacing: .01em; color: #fff; text-decoration: none; }
header.top nav ul { list-style: none; display: flex; gap: .25rem; margin: 0; padding: 0; }
header.top nav a { color: #c9d2e3; text-decoration: none; padding: .35rem .7rem; border-radius: .4rem; }
header.top nav a:hover { color: #fff; background: #263047; }
header.top nav a[aria-current="page"] { color: #fff; background: #2d3a57; }
header.top .who { margin-left: auto; color: #c9d2e3; font-size: .9rem; }
main { max-width: 76rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.55rem; margin: 0 0 1rem; font-weight: 650; }
h2 { font-size: 1.1rem; margin: 2rem 0 .75rem; font-weight: 650; }
.sub { color: var(--muted); margin: -.6rem 0 1.25rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: .6rem; padding: 1rem 1.25rem; }
.grid { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr)); }
table { width: 100%; border-collapse: collapse; background: var(--card); border: 1px solid var(--line); border-radius: .6rem; overflow: hidden; }
caption { text-align: left; font-weight: 600; padding: .6rem .9rem; color: var(--muted); }
th, td { text-align: left; padding: .55rem .9rem; border-top: 1px solid var(--line); vertical-align: top; }
thead th { background: #f0f2f6; font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); border-top: 0; }
tbody tr:hover { background: #fafbfd; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .86em; }
.muted { color: var(--muted); }
.badge { display: inline-block; padding: .1rem .55rem; border-radius: 999px; font-size: .8rem; font-weight: 600; white-space: nowrap; background: var(--dim-bg); color: var(--ink); }
.badge.paid, .badge.accepted, .badge.done, .badge.delivered { background: var(--ok-bg); color: var(--ok); }
.badge.pending, .badge.created, .badge.retrying { background: var(--info-bg); color: var(--info); }
.badge.anomaly, .badge.dead, .badge.refused, .badge.failed { background: var(--bad-bg); color: var(--bad); }
.badge.expired, .badge.refunded, .badge.operator { background: var(--warn-bg); color: var(--warn); }
dl.fields { display: grid; grid-template-columns: max-content 1fr; gap: .4rem 1.5rem; margin: 0; }
dl.fields dt { color: var(--muted); }
dl.fields dd { margin: 0; overflow-wrap: anywhere; }
form.filters { display: flex; flex-wrap: wrap; gap: .75rem 1rem; align-items: end; margin-bottom: 1rem; }
form.filters label, form.stack label { display: flex; flex-direction: column; gap: .25rem; font-size: .85rem; color: var(--muted); }
input, select, textarea { font: inherit; color: inherit; padding: .4rem .55rem; border: 1px solid #b9c0cc; border-radius: .4rem; background: #fff; }
textarea { min-height: 6rem; width: 100%; }
form.stack { display: grid; gap: 1rem; max-width: 36rem; }
button, .button { font: inherit; font-weight: 600; cursor: pointer; border-radius: .4rem; padding: .45rem .95rem; border: 1px solid var(--accent); background: var(--accent); color: #fff; text-decoration: none; display: inline-block; }
button.secondary, .button.secondary { background: #fff; color: var(--accent); }
button.danger { background: var(--bad); border-color: var(--bad); }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; margin: 1rem 0; }
.actions form { margin: 0; }
.notice { border-left: 4px solid var(--ok); background: var(--ok-bg); padding: .7rem 1rem; border-radius: .3rem; margin-bottom: 1rem; }
.notice.error { border-color: var(--bad); background: var(--bad-bg); }
.empty { color: var(--muted); padding: 1rem 0; }
.counts td.zero { color: #a9b0bc; }
ol.timeline { list-style: none; margin: 0; padding: 0 0 0 1.25rem; border-left: 2px solid var(--line); }
ol.timeline > li { position: relative; margin: 0 0 1rem; padding: .75rem 1rem; background: var(--card); border: 1px solid var(--line); border-radius: .5rem; }
ol.timeline > li::before { content: ""; position: absolute; left: -1.72rem; top: 1.05rem; width: .8rem; height: .8rem; border-radius: 50%; background: var(--line); border: 2px solid var(--bg); }
ol.timeline > li.refused::before, ol.timeline > li.dead::before, ol.timeline > li.failed::before { background: var(--bad); }
ol.timeline > li.accepted::before, ol.timeline > li.delivered::before { background: var(--ok); }
ol.timeline > li.operator::before { background: var(--warn); }
.entry-head { display: flex; gap: .75rem; align-items: baseline; flex-wrap: wrap; }
.entry-head time { color: var(--muted); font-size: .85rem; font-variant-numeric: tabular-nums; }
.entry-body { margin-top: .35rem; }
.entry-body p { margin: .2rem 0; }
.card > h2:first-child { margin-top: 0; }
.why { color: var(--bad); font-weight: 600; }
details { margin-top: .4rem; }
summary { cursor: pointer; color: var(--accent); font-size: .9rem; }
pre { background: #f3f5f8; border: 1px solid var(--line); border-radius: .4rem; padding: .6rem .8rem; overflow-x: auto; font-size: .82rem; margin: .4rem 0 0; white-space: pre-wrap; overflow-wrap: anywhere; }
nav.pager { display: flex; gap: .75rem; margin-top: 1rem; }
ul.attention { list-style: none; margin: 0; padding: 0; }
ul.attention li { padding: .55rem 0; border-top: 1px solid var(--line); display: flex; gap: .75rem; align-items: baseline; flex-wrap: wrap; }
ul.attention li:first-child { border-top: 0; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
main.narrow { max-width: 34rem; margin: 4rem auto; background: var(--card); border: 1px solid var(--line); border-radius: .6rem; padding: 1.5rem 2rem; }
footer { max-width: 76rem; margin: 0 auto; padding: 1rem 1.5rem 2rem; color: var(--muted); font-size: .85rem; }
`;
