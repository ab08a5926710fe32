/**
 * The owner's forum pages: meeting cards on a 360 px phone, and the agenda's A4 print (no site
 * header, no links, a plain table that breaks between rows).
 */
export const FORUM_OWNER_CSS = `
.forum-owner .card .state{font-weight:600}
.forum-owner ul.bring{margin:.1rem 0 .25rem;padding-left:1.1rem}
.forum-owner form.rate fieldset{display:flex;flex-wrap:wrap;gap:.25rem 1rem}
.forum-owner form.rate legend{flex:1 1 100%}
.agenda-print table.agenda{width:100%;border-collapse:collapse;table-layout:fixed;background:#fff}
.agenda-print th,.agenda-print td{border:1px solid #9aa5b1;padding:.3rem .4rem;vertical-align:top;text-align:left;font-size:.85rem}
.agenda-print th:nth-child(1){width:18%}.agenda-print th:nth-child(2){width:9%}
.agenda-print ul.bring{margin:0;padding-left:1rem}
@media print{
  @page{size:A4;margin:12mm}
  body{background:#fff;font-size:11pt}
  header.top,.skip,.no-print{display:none}
  main{max-width:none;padding:0}
  .agenda-print tr{break-inside:avoid}
  .agenda-print th,.agenda-print td{font-size:10pt;border-color:#000}
}
`;
