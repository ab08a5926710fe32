/**
 * The owner's page (/ui/me): compact cards for a 360 px phone, ten suggestions within three
 * screens. Summaries of <details> look like buttons (no script: a <details> is the confirm step
 * and the progressive disclosure).
 */
export const OWNER_CSS = `
.owner h2{margin:.75rem 0 .35rem}
.owner .card{padding:.45rem .6rem;margin:0 0 .4rem}
.owner .card p{margin:.1rem 0;line-height:1.35}
.owner .card h3{margin:0;line-height:1.25}
.card.suggestion{display:grid;grid-template-columns:minmax(0,1fr) auto;column-gap:.5rem;align-items:baseline}
.card.suggestion>*{grid-column:1/-1}
.card.suggestion>h3{grid-column:1}
.card.suggestion>details.more{grid-column:2;grid-row:1;font-size:.9rem}
.card.suggestion>details.more[open]{grid-column:1/-1;grid-row:auto}
.oneline{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.clamp{display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden}
.why{font-size:.9rem;line-height:1.3;color:#1f5f33;display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden}
.why::before{content:"✓ ";font-weight:700}
blockquote.msg{margin:.3rem 0;padding:.3rem .6rem;border-left:3px solid #9aa5b1;background:#f5f6f8}
.flash{margin:.4rem 0}
.owner .actions{margin-top:.2rem;gap:.4rem}
.owner .actions button,.owner summary.btn{font-size:.9rem;padding:.3rem .6rem}
.actions details{flex:0 1 auto}
.actions details[open]{flex-basis:100%}
summary.btn{display:inline-flex;align-items:center;min-height:2.5rem;padding:.3rem .8rem;border-radius:.35rem;border:1px solid #0b5cad;background:#0b5cad;color:#fff;list-style:none}
summary.btn::-webkit-details-marker{display:none}
summary.btn.secondary{background:#fff;color:#0b5cad}
details[open]>summary.btn{margin-bottom:.4rem}
fieldset.patterns{border:1px solid #d6dbe1;border-radius:.35rem;padding:.4rem .6rem;margin:0}
fieldset.patterns legend{font-size:.9rem;padding:0 .25rem}
label.choice{display:flex;gap:.5rem;align-items:flex-start;margin:.25rem 0}
label.choice input{width:auto;margin-top:.3rem}
details.others>summary{margin:.25rem 0}
details.history{margin:1rem 0}
ul.plain{list-style:none;padding:0;margin:.5rem 0}
ul.plain li{padding:.35rem 0;border-bottom:1px solid #e1e5ea}
.field-error{color:#a4262c;font-size:.9rem}
`;
