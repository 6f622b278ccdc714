import { describe, expect, it } from "vitest";
import { lifecycleActions, statusLabel, viewerStatusOf } from "./eventStatus";

describe("statusLabel", () => {
  it("calls a playing on-demand video published, never live", () => {
    expect(statusLabel("live", "vod")).toBe("Published");
    expect(statusLabel("ended", "vod")).toBe("Published");
    expect(statusLabel("archived", "vod")).toBe("Unpublished");
    expect(statusLabel("live", "live")).toBe("Live");
  });
});

describe("lifecycleActions", () => {
  it("publishes a draft video in one press, through scheduled", () => {
    const actions = lifecycleActions("vod", "draft", ["scheduled", "cancelled"]);
    expect(actions.map((a) => a.label)).toEqual(["Publish", "Cancel event"]);
    expect(actions[0]?.steps).toEqual(["scheduled", "live"]);
  });

  it("unpublishes a published video by archiving it, after asking", () => {
    const [unpublish] = lifecycleActions("vod", "live", ["ended"]);
    expect(unpublish?.label).toBe("Unpublish");
    expect(unpublish?.steps).toEqual(["ended", "archived"]);
    expect(unpublish?.question).toBeDefined();
  });

  it("keeps Schedule and Go live for live events", () => {
    expect(lifecycleActions("live", "draft", ["scheduled", "cancelled"]).map((a) => a.label)).toEqual(["Schedule", "Cancel event"]);
    expect(lifecycleActions("live", "scheduled", ["live"]).map((a) => a.label)).toEqual(["Go live"]);
  });
});

describe("viewerStatusOf", () => {
  it("says On demand for a published video, never Replay", () => {
    expect(viewerStatusOf({ status: "live", eventType: "vod" })).toBe("ondemand");
    expect(viewerStatusOf({ status: "ended", eventType: "vod" }, true)).toBe("ondemand");
    expect(viewerStatusOf({ status: "archived", eventType: "vod" }, true)).toBe("ended");
  });

  it("says Replay only for a broadcast's recording", () => {
    expect(viewerStatusOf({ status: "live", eventType: "live" })).toBe("live");
    expect(viewerStatusOf({ status: "ended", eventType: "live" }, true)).toBe("replay");
    expect(viewerStatusOf({ status: "ended", eventType: "live" }, false)).toBe("ended");
  });
});
