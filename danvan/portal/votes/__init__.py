"""Citizens decide on the portal (Law 10/2022/QH15): a household's online vote with the
one-time code its village handed out, and the published results of community votes,
never naming a household. The votes themselves are danvan.democracy's."""
