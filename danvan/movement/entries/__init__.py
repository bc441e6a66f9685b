"""The movement's entries (mô hình, điển hình): the list and its Excel export, the
registration and edit forms, one entry's page and the actions taken on it (transitions,
commendation, replication, attachments). The writes are the app's ``services``; the
reads its ``selectors``: entries are what the whole app is about.
"""
