"""Reporting rounds (rondas de reporte): ask every actor for its progress at one cut-off, know who answered, remind
who did not (issue 17).

``service`` opens, reminds and closes a round (audited writes); ``members`` says what a round asked of whom and who
answered; ``consent`` keeps the contact authorizations of Ley 1581 de 2012; ``messages`` writes the request in plain
Spanish with its WhatsApp and e-mail links (only where the contact authorized it); ``mail`` sends it by SMTP when a
server is configured. The app itself never needs the network: the links open on the coordinator's own device.
"""
