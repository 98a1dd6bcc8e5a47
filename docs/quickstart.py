import mmframe as mm
from mmframe.emulator import Emulator

emulator = Emulator(seed="demo").start()  # or any compatible endpoint, by URL
mm.connect(emulator.url, apikey=emulator.master_apikey)  # the key is never displayed

# Read: the storm day's suppressions of news@, and the bounces and complaints behind them.
day, week_before = ("2026-06-09", "2026-06-10"), ("2026-06-02", "2026-06-10")
rows = mm.read_suppressions(*day, accounts=["news@example.com"])
bounces = mm.read_bounces(*week_before, accounts=["news@example.com"])
complaints = mm.read_complaints(*week_before, accounts=["news@example.com"])

# Triage: what the receiving servers said, as a reason per bounce.
print(mm.triage(bounces)["reason"].value_counts().head(3))

# Candidates: reactivate, keep or review, with the evidence for each verdict.
judged = mm.remediation_candidates(rows, bounces=bounces, complaints=complaints)
fix = judged[judged["verdict"] == "reactivate"]

print(fix.mm.activate(full=True, dry_run=True).mm.summary())  # dry run: nothing is written
# Resumable; a failed row raises BatchWriteError, whose .result holds every row's outcome.
done = fix.mm.activate(full=True, journal="fix.jsonl", confirm=len(fix))
print(done.mm.summary())
emulator.stop()
