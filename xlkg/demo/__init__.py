"""`xlkg demo`: the measures on the bundled data, written as a results workbook (report), the sample
ministry workbook (sample) and a filled scorecard (run)."""
