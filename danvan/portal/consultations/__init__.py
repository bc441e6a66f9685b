"""Consultation of citizens on drafts on the portal (Law 10/2022/QH15, art. 25–26): the
drafts open for opinions, a citizen's comment, the published comments with their answers
and the report of how opinions were taken in. The consultations are
danvan.consultation's."""
