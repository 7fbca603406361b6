"""The projector screen's look: large type for a room, sized from the screen's width and
scaled by the facilitator's text size (--wbp-scale, set by workbook/ui/projector.py)."""

CSS = """
<style>
/* Projector page only: no Streamlit chrome, no sidebar, the whole screen for the room. */
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stHeader"], [data-testid="stToolbar"],
[data-testid="stDecoration"], [data-testid="stStatusWidget"], [data-testid="stBottom"] {
  display: none !important;
}
[data-testid="stMainBlockContainer"] {
  max-width: none !important; padding: 1.2vw 2.5vw 0.5vw !important;
}
/* A refresh must not dim or flash anything. */
[data-stale="true"], [data-stale="true"] * { opacity: 1 !important; transition: none !important; }
.wbp { color: #111; line-height: 1.25; }
.wbp p, .wbp h1 { margin: 0; padding: 0; }
.wbp-bar { display: flex; justify-content: space-between; align-items: center; gap: 2vw;
           border-bottom: 0.25vw solid #0059A3; padding-bottom: 0.6vw; }
.wbp-step { font-weight: 700; color: #222;
            font-size: calc(var(--wbp-scale, 1) * clamp(14px, 1.9vw, 44px));
            min-width: 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.wbp-join-small { color: #222; white-space: nowrap;
                  font-size: calc(var(--wbp-scale, 1) * clamp(20px, 1.9vw, 44px)); }
.wbp-join-small b { letter-spacing: 0.08em; color: #111; }
.wbp-timer { font-weight: 800; white-space: nowrap;
             font-size: calc(var(--wbp-scale, 1) * clamp(40px, 4.6vw, 110px));
             font-variant-numeric: tabular-nums; color: #111; }
.wbp-timer.wbp-low { color: #A33B00; }
.wbp-timer.wbp-paused { color: #444; }
.wbp-prompt { font-weight: 800; margin: 1vw 0 0.4vw !important; line-height: 1.2;
              font-size: calc(var(--wbp-scale, 1) * clamp(30px, 3vw, 72px));
              overflow-wrap: anywhere; }
.wbp-status { font-size: calc(var(--wbp-scale, 1) * clamp(20px, 1.9vw, 44px)); color: #222; }
.wbp-status b { color: #111; }
.wbp-count { font-weight: 900; line-height: 1;
             font-size: calc(var(--wbp-scale, 1) * clamp(90px, 11vw, 260px));
             font-variant-numeric: tabular-nums; }
.wbp-count-label { font-weight: 700;
                   font-size: calc(var(--wbp-scale, 1) * clamp(26px, 2.5vw, 60px)); }
.wbp-hint { color: #333; margin-top: 1.5vw !important;
            font-size: calc(var(--wbp-scale, 1) * clamp(20px, 1.7vw, 40px)); }
.wbp-h { font-weight: 800; margin: 0.6vw 0 !important;
         font-size: calc(var(--wbp-scale, 1) * clamp(16px, 2.6vw, 100px)); }
.wbp-cards { display: grid; grid-template-columns: 1fr 1fr; gap: 1vw; }
.wbp-card { background: #F1F3F6; border-left: 0.55vw solid #0059A3; border-radius: 0.5vw;
            padding: 0.6vw 1vw; line-height: 1.2; overflow-wrap: anywhere;
            font-size: calc(var(--wbp-scale, 1) * clamp(14px, 1.6vw, 64px)); }
.wbp-card .wbp-who { display: flex; gap: 0.8em; margin-top: 0.3vw; color: #333; font-weight: 700;
                     font-size: calc(var(--wbp-scale, 1) * clamp(14px, 1.5vw, 60px)); }
.wbp-who .wbp-group { min-width: 0; white-space: nowrap; overflow: hidden;
                      text-overflow: ellipsis; }
/* Few answers: bigger cards, so one answer on its own still fills the screen with purpose. */
.wbp-few .wbp-card { font-size: calc(var(--wbp-scale, 1) * clamp(16px, 2.3vw, 90px));
                      padding: 1vw 1.3vw; }
.wbp-few .wbp-card .wbp-who { font-size: calc(var(--wbp-scale, 1) * clamp(14px, 1.7vw, 66px)); }
.wbp-support { font-weight: 800; color: #00467F; white-space: nowrap; }
.wbp-page { display: flex; gap: 1.2em; align-items: baseline; margin-top: 0.8vw !important;
            font-size: calc(var(--wbp-scale, 1) * clamp(14px, 1.6vw, 64px)); color: #222; }
.wbp-page b { font-weight: 800; color: #111; }
.wbp-terms { display: flex; flex-wrap: wrap; gap: 0.6vw 1.4vw; align-items: baseline; }
.wbp-term { font-weight: 800; color: #00467F; overflow-wrap: anywhere; }
.wbp-term small { font-size: calc(var(--wbp-scale, 1) * clamp(14px, 1.5vw, 60px)); color: #333;
                  font-weight: 700; margin-left: 0.3em; }
.wbp-mean { font-weight: 900; line-height: 1; color: #A33B00;
            font-size: calc(var(--wbp-scale, 1) * clamp(60px, 7vw, 170px)); }
.wbp-join { display: flex; gap: 3vw; align-items: center; justify-content: space-between;
            min-height: 88vh; }
.wbp-title { font-weight: 800; overflow-wrap: anywhere;
             font-size: calc(var(--wbp-scale, 1) * clamp(30px, 3.2vw, 76px));
              white-space: pre-wrap; }
.wbp-label { color: #222; margin-top: 1.4vw !important;
             font-size: calc(var(--wbp-scale, 1) * clamp(24px, 2.4vw, 56px)); }
.wbp-url { font-weight: 800; overflow-wrap: anywhere;
           font-size: calc(var(--wbp-scale, 1) * clamp(28px, 3vw, 70px)); }
.wbp-code { font-weight: 900; letter-spacing: 0.04em;
            font-size: calc(var(--wbp-scale, 1) * clamp(80px, 9.6vw, 240px));
            line-height: 1.05; white-space: nowrap; font-variant-numeric: tabular-nums; }
.wbp-join-text { flex: 1 1 auto; min-width: 0; }
.wbp-joined { margin-top: 1.6vw !important;
              font-size: calc(var(--wbp-scale, 1) * clamp(28px, 3vw, 70px)); }
.wbp-joined b { font-size: 1.3em; }
.wbp-qr { flex: 0 0 auto; width: min(40vw, 76vh); text-align: center; }
.wbp-qr img { width: 100%; height: auto; display: block; image-rendering: pixelated; }
.wbp-qr p { font-size: calc(var(--wbp-scale, 1) * clamp(22px, 2vw, 48px)); font-weight: 700; }
.wbp-centre { text-align: center; margin-top: 12vh !important; }
</style>
"""
