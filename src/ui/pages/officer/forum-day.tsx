import type { ForumRow } from "../../../../schema";
import type { CheckInRow, TablePlanRow } from "../../../services/forums/agenda.service";
import { label, t } from "../../i18n";
import { Csrf } from "../../layout";
import { ClosedNote, type FormState, ForumSummary, Notices } from "./forums";
import type { Common } from "./shared";

/**
 * The forum's day: the table plan (with lock and move), its A4 print, and the check-in list. A closed
 * forum's pages only show (every change would be refused with `forum_not_open`).
 */

/** A failed move: which meeting, the values typed, and the message at the field. */
export interface MoveState extends FormState {
  meetingId: string;
  /** The error's code (`meeting_conflict`, `validation_failed`). */
  code: string;
}

type Cell = TablePlanRow["tables"][number];

function MoveError(props: { move: MoveState | null; field: string }) {
  const text = props.move?.errors[props.field];
  return text ? (
    <span class="field-error" data-code={props.move?.code}>
      {text}
    </span>
  ) : null;
}

function MeetingCell(props: Common & { forum: ForumRow; slot: string; cell: Cell; move: MoveState | null }) {
  const s = t(props.lang);
  const m = props.cell;
  const action = `/ui/forum/${props.forum.id}/rapat/${m.meetingId}/kunci`;
  const failed = props.move?.meetingId === m.meetingId ? props.move : null;
  const values = failed?.values ?? {};
  return (
    <li class={`fo-cell${m.locked ? " locked" : ""}`} data-meeting={m.meetingId} data-table={m.tableNo}>
      <strong>
        {s.foTable} {m.tableNo}
      </strong>
      {m.locked ? <span class="badge accepted">{s.foLocked}</span> : null}
      <br />
      <span data-side="service">{m.service}</span>
      <br />
      <span data-side="industry">{m.industry}</span>
      {props.forum.status === "closed" ? null : m.locked ? (
        <form method="post" action={`/ui/forum/${props.forum.id}/rapat/${m.meetingId}/buka`}>
          <Csrf token={props.csrfToken} />
          <button type="submit" class="secondary" data-testid="forum-unlock">
            {s.foUnlock}
          </button>
        </form>
      ) : (
        <form method="post" action={action}>
          <Csrf token={props.csrfToken} />
          <button type="submit" class="secondary" data-testid="forum-lock">
            {s.foLock}
          </button>
        </form>
      )}
      {props.forum.status === "closed" ? null : (
        <details open={failed ? true : undefined}>
          <summary>{s.foMoveTo}</summary>
          <form method="post" action={action} class="stack" data-testid="forum-move">
            <Csrf token={props.csrfToken} />
            <label>
              {s.foSlot}
              <select name="slot">
                {props.forum.slots.map((sl) => (
                  <option value={sl.start} selected={(values.slot || props.slot) === sl.start}>
                    {sl.start}–{sl.end}
                  </option>
                ))}
              </select>
              <MoveError move={failed} field="slot" />
            </label>
            <label>
              {s.foTable}
              <input
                name="tableNo"
                type="number"
                min={1}
                max={props.forum.tables}
                value={values.tableNo ?? String(m.tableNo)}
                aria-invalid={failed?.errors.tableNo ? "true" : undefined}
              />
              <MoveError move={failed} field="tableNo" />
            </label>
            <button type="submit">{s.foMove}</button>
          </form>
        </details>
      )}
    </li>
  );
}

export function TablePlanPage(
  props: Common & { forum: ForumRow; plan: TablePlanRow[]; move: MoveState | null; message: string | null },
) {
  const s = t(props.lang);
  const f = props.forum;
  const empty = props.plan.every((r) => r.tables.length === 0);
  return (
    <>
      <ForumSummary lang={props.lang} csrfToken={props.csrfToken} forum={f} />
      <p class="actions">
        <a href={`/ui/forum/${f.id}`}>{s.foBackToForum}</a>
        <a href={`/ui/forum/${f.id}/meja/cetak`} data-testid="forum-print-link">
          {s.foPrint}
        </a>
      </p>
      <Notices ok={props.message} warn={props.move?.errors.form} code={props.move?.code} />
      {empty ? <p class="muted">{s.foNotScheduled}</p> : null}
      {f.status === "closed" ? (
        <ClosedNote lang={props.lang} />
      ) : (
        <form method="post" action={`/ui/forum/${f.id}/jadwal`}>
          <Csrf token={props.csrfToken} />
          <input type="hidden" name="next" value="meja" />
          <button type="submit" data-testid="forum-rerun">
            {s.foRerunSchedule}
          </button>
        </form>
      )}
      {props.plan.map((row) => (
        <section class="fo-slot" aria-labelledby={`slot-${row.start}`} data-slot={row.start}>
          <h2 id={`slot-${row.start}`}>
            {row.start}–{row.end}
          </h2>
          <ul class="fo-grid">
            {row.tables.map((cell) => (
              <MeetingCell
                lang={props.lang}
                csrfToken={props.csrfToken}
                forum={f}
                slot={row.start}
                cell={cell}
                move={props.move}
              />
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}

/** The A4 print of the table plan: per slot, every table with both partners (free tables too). */
export function TablePlanPrint(props: Common & { forum: ForumRow; plan: TablePlanRow[] }) {
  const s = t(props.lang);
  const f = props.forum;
  const tables = Array.from({ length: f.tables }, (_, k) => k + 1);
  return (
    <div class="fo-print" data-testid="forum-print">
      <ForumSummary lang={props.lang} csrfToken={props.csrfToken} forum={f} />
      <p class="muted no-print">
        {s.foPrintHelp} <a href={`/ui/forum/${f.id}/meja`}>{s.foTablePlan}</a>
      </p>
      {props.plan.map((row) => {
        const at = new Map(row.tables.map((c) => [c.tableNo, c]));
        return (
          <table class="fo-print-slot" data-slot={row.start}>
            <caption>
              {s.foSlot} {row.start}–{row.end}
            </caption>
            <thead>
              <tr>
                <th scope="col">{s.foTable}</th>
                <th scope="col">{s.foService}</th>
                <th scope="col">{s.foIndustry}</th>
              </tr>
            </thead>
            <tbody>
              {tables.map((n) => {
                const c = at.get(n);
                return (
                  <tr>
                    <td>{n}</td>
                    <td>{c?.service ?? <span class="muted">{s.foEmpty}</span>}</td>
                    <td>{c?.industry ?? ""}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        );
      })}
    </div>
  );
}

export function CheckInPage(
  props: Common & { forum: ForumRow; items: CheckInRow[]; message: string | null; error?: string | null },
) {
  const s = t(props.lang);
  const f = props.forum;
  const slotOptions = () => f.slots.map((sl) => <option value={sl.start}>{sl.start}</option>);
  const closed = f.status === "closed";
  return (
    <>
      <ForumSummary lang={props.lang} csrfToken={props.csrfToken} forum={f} />
      <p class="actions">
        <a href={`/ui/forum/${f.id}`}>{s.foBackToForum}</a>
        <a href={`/ui/forum/${f.id}/meja`}>{s.foTablePlan}</a>
      </p>
      <Notices ok={props.message} warn={props.error} code="validation_failed" />
      {closed ? (
        <ClosedNote lang={props.lang} />
      ) : (
        <form
          method="post"
          action={`/ui/forum/${f.id}/jadwal`}
          class="card inline"
          data-testid="forum-rerun-from"
        >
          <Csrf token={props.csrfToken} />
          <input type="hidden" name="next" value="hadir" />
          <p class="muted">{s.foRerunFromHelp}</p>
          <label>
            {s.foRerunFrom}
            <select name="fromSlot">{slotOptions()}</select>
          </label>
          <button type="submit">{s.foRerunSchedule}</button>
        </form>
      )}
      <ul class="fo-people" data-testid="forum-checkin">
        {props.items
          .filter((p) => p.status !== "declined")
          .map((p) => (
            <li data-business={p.businessId} data-status={p.status} data-checked-in={p.checkedIn ? "1" : "0"}>
              <strong>{p.name}</strong>{" "}
              <span class={`badge ${p.status}`}>{label(s.foPartLabels, p.status)}</span>
              {p.checkedIn ? <span class="badge active">{s.foCheckedIn}</span> : null}{" "}
              <span class="muted">
                {s.foMeetings}: {p.meetings}
              </span>
              {closed ? null : (
                <form method="post" action={`/ui/forum/${f.id}/hadir/${p.businessId}`} class="inline">
                  <Csrf token={props.csrfToken} />
                  <button type="submit" name="kind" value="arrived" data-testid="forum-arrived">
                    {s.foArrived}
                  </button>
                  <label>
                    {s.foLate}
                    <select name="from">{slotOptions()}</select>
                  </label>
                  <button type="submit" name="kind" value="late" class="secondary" data-testid="forum-late">
                    {s.foLateButton}
                  </button>
                  <button
                    type="submit"
                    name="kind"
                    value="no_show"
                    class="danger"
                    data-testid="forum-no-show"
                  >
                    {s.foNoShow}
                  </button>
                </form>
              )}
            </li>
          ))}
      </ul>
    </>
  );
}
