import mmframe as mm
from mmframe.emulator import Emulator

emulator = Emulator(seed="demo").start()  # or any compatible endpoint, by URL
mm.connect(emulator.url, apikey=emulator.master_apikey)  # the key is never displayed
# The storm day, and from the first (None): every bounce, complaint and opt-out.
rows = mm.read_suppressions("2026-06-09", "2026-06-10", accounts=["news@example.com"])
bounces = mm.read_bounces(None, None, accounts="all")  # a dead mailbox on any account too
complaints = mm.read_complaints(None, None, accounts="all")  # a complaint anywhere counts
opt_outs = mm.read_suppressions(None, None, accounts="all")  # an unsubscribe anywhere too

# Triage: what the receiving servers said that day, as a reason per bounce.
that_day = bounces[bounces["bounced_at"].dt.strftime("%Y-%m-%d") == "2026-06-09"]
print(mm.triage(that_day)["reason"].value_counts().head(3))

# Candidates: reactivate, keep or review, with the evidence for each verdict.
judged = mm.remediation_candidates(rows, bounces=bounces, complaints=complaints, opt_outs=opt_outs)
back = judged[judged["verdict"] == "reactivate"]
wait = mm.waits_for_sender(back)  # refused for the sender's sake: back once that is fixed
clear, later = back[~wait], back[wait]  # the demo's storm waits: Yahoo deferred the volume
print(clear.mm.activate(full=True, dry_run=True).mm.summary())  # dry run: nothing is written
# Resumable; a failed row raises BatchWriteError, whose .result holds every row's outcome.
done = clear.mm.activate(full=True, journal="fix.jsonl", confirm=len(clear))
print(done.mm.summary(), f"{len(later)} wait until the sender has slowed down", sep="\n")
emulator.stop()
