/**
 * The officers' forum pages: the list, the participants, the table plan as a slot × table grid
 * (one column on a phone, more as the screen widens) and its A4 print (no navigation, no forms).
 */
export const FORUM_OFFICER_CSS = `
ul.fo-list,ul.fo-people,ul.fo-grid{list-style:none;padding:0;margin:0}
ul.fo-people li{border-bottom:1px solid #e1e5ea;padding:.5rem 0}
ul.fo-people form.inline label{flex:1 1 8rem}
dl.fo-figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(7rem,1fr));gap:.5rem;margin:0}
dl.fo-figures dt{color:#5a6470;font-size:.85rem}dl.fo-figures dd{margin:0;font-size:1.6rem;font-weight:700}
ul.fo-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:.5rem}
li.fo-cell{background:#fff;border:1px solid #d6dbe1;border-radius:.35rem;padding:.5rem}
li.fo-cell.locked{border-color:#b26a00}
li.fo-cell form{margin:.35rem 0 0}
table.fo-print-slot{margin:0 0 1rem;break-inside:avoid;page-break-inside:avoid}
table.fo-print-slot caption{text-align:left;font-weight:700;padding:.25rem 0}
@media print{
  @page{size:A4;margin:12mm}
  body{background:#fff;font-size:10pt}
  header.top,.skip,.no-print,nav,form{display:none}
  main{max-width:none;padding:0}
  .fo-print td,.fo-print th{padding:.15rem .3rem;border-bottom:1px solid #999}
}
`;
