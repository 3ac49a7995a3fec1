// The daemon services of ipcased.
