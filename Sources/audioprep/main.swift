import AudioPrepCommands

// Every command and its logic live in the AudioPrepCommands library; this is the entry point.
AudioPrep.main()
