"""The tip line on the desktop: a tip's facts and media in the case detail, questions to the tipster."""
