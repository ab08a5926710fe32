import { describe, expect, it } from "vitest";
import { wibMidnight } from "../../../src/domain/calendar";
import { canCloseForum, closeRefusal } from "../../../src/domain/forum";

describe("closeRefusal", () => {
  const dayStarts = wibMidnight(2026, 12, 10);
  const forum = (status: string) => ({ status, date: "2026-12-10" });

  it("refuses a forum that is not scheduled, whatever the time", () => {
    for (const status of ["draft", "open", "closed"]) {
      expect(closeRefusal(forum(status), dayStarts + 86_400_000), status).toBe("forum_not_scheduled");
      expect(canCloseForum(forum(status), dayStarts), status).toBe(false);
    }
  });

  it("closes a scheduled forum from 00:00 WIB of its day on, never before", () => {
    expect(closeRefusal(forum("scheduled"), dayStarts - 1)).toBe("forum_day_not_reached");
    // 16:59 UTC on 9 December is still 23:59 WIB on the 9th.
    expect(canCloseForum(forum("scheduled"), Date.UTC(2026, 11, 9, 16, 59))).toBe(false);
    expect(closeRefusal(forum("scheduled"), dayStarts)).toBeNull();
    expect(canCloseForum(forum("scheduled"), Date.UTC(2026, 11, 9, 17, 0))).toBe(true);
    expect(canCloseForum(forum("scheduled"), Date.UTC(2027, 0, 5))).toBe(true);
  });
});
