"""A report's files made in the background, as one zip (issue 13, item 5: "Exports run in
the background with a progress bar, for one unit or for the whole subtree as a zip").

The user asks from the report's page; a durable job (danvan/jobs, kind "report_export")
writes, for the report and, when asked, every report below it in the campaign, each
report's Word document (export.word; a report whose document fields are missing is left
out and named in the zip's README.txt) and its workbook (export.workbook) into one zip
under the upload folder. The status page follows the job's progress (files done out of
files to make) and offers the download once the zip is complete; the zip appears under
its final name only when whole, so a failure leaves nothing half-written, and the page
offers "Thử lại" (jobs.services.job_retry).
"""
