"""Dialogue conferences with citizens (Local Government Law 2025, art. 43): plan,
announce, hold and publish a dialogue, record the questions raised and the commitments
made, and follow those commitments until done, with warnings when the law's time limits
are missed. Mounted at /doi-thoai/ (URL namespace ``dialogues``).
"""
