"""What the analytics domain keeps running inside an app instance: the telemetry buffer and its
flusher, the live counters (broker and presence) and the GeoIP reader. Started and stopped by the
app's lifespan; reached by routes through `request.app.state.analytics`."""

from __future__ import annotations

from dataclasses import dataclass

from golive.engagement.analytics.enrichment import GeoLocator
from golive.engagement.analytics.ingest import TelemetryIngest
from golive.engagement.analytics.live import StreamsPerIp
from golive.platform.context import AppContext
from golive.platform.realtime import Realtime


@dataclass
class AnalyticsRuntime:
    realtime: Realtime
    ingest: TelemetryIngest
    geo: GeoLocator
    live_streams: StreamsPerIp

    @classmethod
    def start(cls, ctx: AppContext) -> AnalyticsRuntime:
        settings = ctx.settings
        realtime = Realtime.from_settings(settings.redis_url, settings.live_viewer_window_seconds)
        ingest = TelemetryIngest(settings, ctx.db, realtime)
        ingest.start()
        geo = GeoLocator(settings.geoip_db, settings.geoip_country_header)
        return cls(realtime, ingest, geo, StreamsPerIp(settings.live_stats_max_streams_per_ip))

    async def stop(self) -> None:
        """Flushes the buffered telemetry first: a clean shutdown loses nothing."""
        try:
            await self.ingest.stop()
        finally:
            self.geo.close()
            await self.realtime.close()
