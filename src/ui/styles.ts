/**
 * The console's one stylesheet, served by the Worker at `/ui/app.css` (no CDN, no inline styles:
 * the CSP allows `style-src 'self'` only). Phone-first: one column at 360 px, wider grids from
 * 48rem. System fonts only.
 */

import { FORUM_OFFICER_CSS } from "./forum-officer.styles";
import { FORUM_OWNER_CSS } from "./forum-owner.styles";
import { OWNER_CSS } from "./owner.styles";

export const APP_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;background:#f5f6f8;overflow-wrap:anywhere}
a{color:#0b5cad}
.skip{position:absolute;left:-999px}.skip:focus{left:.5rem;top:.5rem;background:#fff;padding:.5rem;z-index:2}
header.top{background:#0b3d6e;color:#fff;padding:.5rem .75rem;display:flex;flex-wrap:wrap;gap:.25rem .75rem;align-items:center}
header.top a{color:#fff}
.brand{font-weight:700;text-decoration:none;margin-right:auto}
nav.main{display:flex;flex-wrap:wrap;gap:.25rem .75rem;align-items:center}
nav.main form{margin:0}
.linkbtn{background:none;border:0;color:inherit;text-decoration:underline;font:inherit;padding:0;cursor:pointer;min-height:auto}
main{max-width:64rem;margin:0 auto;padding:.75rem}
h1{font-size:1.4rem;margin:.5rem 0 1rem}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
h3{font-size:1rem;margin:0 0 .25rem}
.card{background:#fff;border:1px solid #d6dbe1;border-radius:.5rem;padding:.75rem;margin:0 0 .75rem}
.card>h2:first-child{margin-top:0}
.field-error{display:block;color:#a4001d;font-size:.9rem}
.muted{color:#5a6470;font-size:.9rem}
.notice{background:#e8f3ff;border-left:4px solid #0b5cad;padding:.5rem .75rem;margin:0 0 1rem}
.notice.ok{background:#e9f7ee;border-color:#1f7a3d}
.notice.warn{background:#fff5e0;border-color:#b26a00}

form.stack{display:grid;gap:.5rem}
form.inline{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end;margin:.5rem 0 0}
label{display:grid;gap:.2rem;font-size:.9rem}
label.check{display:flex;gap:.5rem;align-items:center;font-size:1rem;margin:.35rem 0}label.check input{width:auto;min-width:1.25rem;min-height:1.25rem}
input,select,textarea,button{font:inherit;max-width:100%}
input,select,textarea{padding:.5rem;border:1px solid #9aa5b1;border-radius:.35rem;background:#fff;width:100%}
textarea{min-height:4.5rem}
button{min-height:2.75rem;padding:.5rem 1rem;border-radius:.35rem;border:1px solid #0b5cad;background:#0b5cad;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#0b5cad}
button.danger{background:#a4262c;border-color:#a4262c}
form.inline input{flex:1 1 12rem;width:auto}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-start}
.grid{display:grid;gap:.75rem}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:.15rem .75rem;margin:.25rem 0}
dl.kv dt{color:#5a6470}dl.kv dd{margin:0}
.bars{list-style:none;padding:0;margin:0}
.bars li{display:grid;grid-template-columns:minmax(0,9rem) 1fr 2.5rem;gap:.5rem;align-items:center;margin:.2rem 0}
meter{width:100%;height:.9rem}
.big{font-size:1.8rem;font-weight:700}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;padding:.35rem .4rem;border-bottom:1px solid #e1e5ea;vertical-align:top}
.badge{display:inline-block;padding:0 .4rem;border-radius:.6rem;background:#e1e5ea;font-size:.8rem}
.badge.active{background:#cdebd6}.badge.accepted{background:#fde9b8}.badge.pending_review{background:#fde9b8}.badge.unconfirmed{background:#f6d5d5}
svg.map{width:100%;height:auto;max-height:70vh;background:#eef2f6;border-radius:.5rem}
svg.map path{stroke:#fff;stroke-width:1.2}
svg.map text{font-size:10px;fill:#1b1f24;pointer-events:none;paint-order:stroke;stroke:#fff;stroke-width:2.5px;stroke-opacity:.8}
.legend{display:flex;flex-wrap:wrap;gap:.5rem;list-style:none;padding:0;margin:.5rem 0;font-size:.85rem}
.legend span.swatch{display:inline-block;width:1rem;height:1rem;vertical-align:middle;margin-right:.25rem;border:1px solid #9aa5b1}
.sw0{background:#f1f5f9}.sw1{background:#c7e0f4}.sw2{background:#7fb3df}.sw3{background:#3a7fc1}.sw4{background:#0b3d6e}
svg.map .c0{fill:#f1f5f9}svg.map .c1{fill:#c7e0f4}svg.map .c2{fill:#7fb3df}svg.map .c3{fill:#3a7fc1}svg.map .c4{fill:#0b3d6e}
details summary{cursor:pointer;color:#0b5cad}
input[type=checkbox],input[type=radio]{width:auto;min-width:1.25rem;min-height:1.25rem;margin:0 .35rem 0 0;vertical-align:middle}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end}
form.filters label{flex:1 1 10rem}
form.bulk{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end}
form.bulk p{flex:1 1 100%;margin:0}
form.bulk label{flex:1 1 14rem}
fieldset{border:1px solid #d6dbe1;border-radius:.35rem;display:grid;gap:.35rem}
fieldset label{display:block}
.field-error{color:#a4262c;font-size:.85rem}
[aria-invalid=true]{border-color:#a4262c}
.badge.inactive{background:#f6d5d5}
ol.audit{padding-left:1.25rem}
ol.audit time{color:#5a6470;font-size:.85rem;margin-right:.35rem}
${OWNER_CSS}
${FORUM_OWNER_CSS}
${FORUM_OFFICER_CSS}
@media (min-width:48rem){
  .grid.two{grid-template-columns:1fr 1fr}
  .grid.three{grid-template-columns:1fr 1fr 1fr}
  main{padding:1rem 1.5rem}
}
fieldset{border:1px solid #d0d7de;border-radius:.35rem;padding:.75rem;margin:0;min-width:0;display:grid;gap:.5rem}
legend{font-weight:600;padding:0 .25rem}
label.check{display:flex;gap:.5rem;align-items:flex-start}
label.check input{width:auto;flex:none;margin-top:.25rem}
.field-error{color:#a40000;font-size:.9rem;margin:0}
[aria-invalid=true]{border-color:#a40000}
a.button{display:inline-block;min-height:2.75rem;padding:.6rem 1.2rem;border-radius:.35rem;background:#0b5cad;color:#fff;text-decoration:none;margin:0 .5rem .5rem 0}
a.button.secondary{background:#fff;color:#0b5cad;border:1px solid #0b5cad}
.landing .lead{font-size:1.1rem}
`;
