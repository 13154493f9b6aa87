-- Each member's SIRET (issue 17, item 9): the DECP 2024 essential data name the buyer
-- by the SIRET of its establishment (schema 2.0.3, acheteur.id: 14 digits), not by its
-- SIREN. Optional: a member without one is left out of the DECP export and counted.
-- The engine checks the digits, the Luhn key and that it starts with the member's
-- SIREN (member.siret.not_of_siren); a SIRET belongs to one member only.
ALTER TABLE members ADD COLUMN siret TEXT CHECK (siret IS NULL OR length(siret) = 14);
CREATE UNIQUE INDEX members_siret ON members (siret);
